// Next's proxy (formerly middleware): runs before pages, server actions and next-auth's
// /api/auth routes (the rest of /api is the Hono app, which never reaches Next). It answers
// the bad requests with a 4xx before Next would fail them with a 500 or read a huge body,
// and gives every page its Content-Security-Policy with a fresh script nonce.
import { NextResponse } from "next/server";
import { refuseLargeBody } from "./lib/api/body-limit";
import { refuseBadServerAction } from "./lib/forms/action-guard";
import { newNonce, pageContentSecurityPolicy } from "./lib/http/content-security-policy";

export async function proxy(request: Request) {
  if (new URL(request.url).pathname.startsWith("/api/auth/")) return refuseLargeBody(request);
  const refusal = await refuseBadServerAction(request);
  if (refusal) return refusal;
  // Next reads the nonce from the request's policy and puts it on its script tags.
  const nonce = newNonce();
  const policy = pageContentSecurityPolicy(nonce);
  const headers = new Headers(request.headers);
  headers.set("x-nonce", nonce);
  headers.set("content-security-policy", policy);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("content-security-policy", policy);
  return response;
}

// Literals only: Next reads this statically. Every page (not /api, not Next's assets), and
// next-auth's routes (sign-in posts a form).
export const config = {
  matcher: ["/((?!api/|_next/static|_next/image|favicon.ico).*)", "/api/auth/:path*"],
};
