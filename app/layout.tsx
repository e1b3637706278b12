import type { Metadata, Viewport } from "next";
import { connection } from "next/server";
import "@fontsource-variable/inter";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Tollbooth: charge for API calls in bitcoin", template: "%s · Tollbooth" },
  description:
    "Hosted L402 payments for HTTP APIs. Paste a key into a three-line middleware; unpaid calls get a Lightning invoice, paid calls pass.",
};

export const viewport: Viewport = { width: "device-width", initialScale: 1 };

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  // Rendered per request, never prerendered: each page's scripts carry the nonce of its
  // own Content-Security-Policy (proxy.ts), which a page built ahead of time cannot.
  await connection();
  return (
    <html lang="en">
      <body className="min-h-dvh font-sans">{children}</body>
    </html>
  );
}
