"use client";
import { signOut } from "next-auth/react";
import { buttonClass } from "@/components/ui/button-class";

export function SignOutButton() {
  return (
    <button type="button" className={`${buttonClass("secondary")} px-3 py-1.5`} onClick={() => signOut({ callbackUrl: "/sign-in" })}>
      Sign out
    </button>
  );
}
