"use client";
import { signOut } from "next-auth/react";
import { buttonClass } from "@/components/ui/button-class";

export function SignOutButton() {
  // No next-auth redirect: it would send the browser to NEXTAUTH_URL's host (localhost in
  // development) even when the app was opened at 127.0.0.1 or a LAN address.
  async function signOutHere() {
    await signOut({ redirect: false });
    window.location.assign("/sign-in");
  }
  return (
    <button type="button" className={`${buttonClass("secondary")} px-3 py-1.5`} onClick={signOutHere}>
      Sign out
    </button>
  );
}
