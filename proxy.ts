// Next's proxy (formerly middleware): runs before pages and server actions. Only
// server-action requests come here (the matcher), to answer the ones Next would fail with
// a 500 with a 4xx instead (lib/forms/action-guard.ts).
import { refuseBadServerAction } from "./lib/forms/action-guard";

export function proxy(request: Request) {
  return refuseBadServerAction(request);
}

// Literals only: Next reads this statically. Pages (not /api, not /_next) with a possible action.
export const config = {
  matcher: [
    { source: "/((?!api/|_next/).*)", has: [{ type: "header", key: "next-action" }] },
    { source: "/((?!api/|_next/).*)", has: [{ type: "header", key: "content-type", value: "multipart/form-data.*" }] },
  ],
};
