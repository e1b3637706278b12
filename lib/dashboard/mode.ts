// Test or live: which book the dashboard shows. A cookie, as in Stripe: every page, query
// and export reads the mode from here and shows only that mode's data.
import { cookies } from "next/headers";
import type { KeyMode } from "../keys/api-keys";

export const DASHBOARD_MODE_COOKIE = "tb_mode";

/** The mode the dashboard shows; test until the owner switches to live. */
export async function getDashboardMode(): Promise<KeyMode> {
  return (await cookies()).get(DASHBOARD_MODE_COOKIE)?.value === "live" ? "live" : "test";
}

export async function setDashboardMode(mode: KeyMode) {
  (await cookies()).set(DASHBOARD_MODE_COOKIE, mode, {
    httpOnly: true,
    sameSite: "lax",
    path: "/",
    maxAge: 365 * 86_400,
    secure: process.env.NODE_ENV === "production" && process.env.INSECURE_COOKIES !== "1",
  });
}
