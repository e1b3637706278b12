// Next's proxy (formerly middleware): runs before pages, server actions and next-auth's
// /api/auth routes (the rest of /api is the Hono app, which never reaches Next). It only
// sees the requests the matcher names, and answers the bad ones with a 4xx before Next
// would fail them with a 500 or read a huge body.
import { refuseLargeBody } from "./lib/api/body-limit";
import { refuseBadServerAction } from "./lib/forms/action-guard";

export async function proxy(request: Request) {
  if (new URL(request.url).pathname.startsWith("/api/auth/")) return refuseLargeBody(request);
  return refuseBadServerAction(request);
}

// Literals only: Next reads this statically. Pages (not /api, not /_next) that may carry a
// server action, and next-auth's routes (sign-in posts a form).
export const config = {
  matcher: [
    { source: "/((?!api/|_next/).*)", has: [{ type: "header", key: "next-action" }] },
    { source: "/((?!api/|_next/).*)", has: [{ type: "header", key: "content-type", value: "multipart/form-data.*" }] },
    "/api/auth/:path*",
  ],
};
