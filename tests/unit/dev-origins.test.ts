// `npm run dev` listens on every interface, so a new user may open http://127.0.0.1:3000,
// the machine's LAN address or its name instead of localhost. Next's dev server refuses its
// HMR socket and scripts to page origins it does not know, and the page then never
// hydrates (the sign-up form never submits). This runs Next's own check (the function its
// dev router calls for every /_next request and upgrade) against our next.config.js, for
// every address the machine has. The e2e suite runs the production build, where the check
// does not exist; starting `next dev` here would cost a minute of compilation per run.
import { createRequire } from "node:module";
import { hostname, networkInterfaces } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";

type BlockCrossSite = (
  req: { url: string; headers: Record<string, string> },
  res: { statusCode?: number; end(body?: string): void },
  allowedDevOrigins: string[] | undefined,
  hostname?: string,
) => boolean;

const require = createRequire(import.meta.url);
// Next's internal module (next/dist/...): if an upgrade moves it, this fails loudly rather than passing.
const { blockCrossSiteDEV } = require("next/dist/server/lib/router-utils/block-cross-site-dev.js") as { blockCrossSiteDEV: BlockCrossSite };

const root = path.resolve(import.meta.dirname, "../..");

async function loadConfig(env: Record<string, string | undefined> = {}) {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  try {
    // A fresh copy each time: the list is computed when the file is evaluated.
    const url = `${pathToFileURL(path.join(root, "next.config.js")).href}?t=${Date.now()}-${Math.random()}`;
    return ((await import(url)) as { default: { allowedDevOrigins?: string[] } }).default;
  } finally {
    process.env = saved;
  }
}

/** Would Next's dev server refuse the HMR socket of a page opened at this origin? */
function hmrBlocked(origin: string, allowedDevOrigins: string[] | undefined): boolean {
  const res = { statusCode: 200, end() {} };
  // server.ts hands Next the listening hostname: HOST, default 0.0.0.0.
  return blockCrossSiteDEV(
    { url: "/_next/webpack-hmr?id=x", headers: { origin, "sec-fetch-mode": "websocket", "sec-fetch-site": "same-origin" } },
    res,
    allowedDevOrigins,
    "0.0.0.0",
  );
}

function machineOrigins(port: number): string[] {
  const addresses = Object.values(networkInterfaces())
    .flatMap((list) => list ?? [])
    .filter((a) => a.family === "IPv4")
    .map((a) => a.address);
  return ["localhost", "127.0.0.1", ...addresses, hostname()].map((host) => `http://${host}:${port}`);
}

describe("the dev server accepts every address it can be reached at", () => {
  it("refuses 127.0.0.1 without our list (the check is real)", () => {
    expect(hmrBlocked("http://127.0.0.1:3000", undefined)).toBe(true);
  });

  it("accepts localhost, 127.0.0.1, every LAN address and the host name", async () => {
    const config = await loadConfig();
    const origins = machineOrigins(3000);
    expect(origins.length).toBeGreaterThanOrEqual(4);
    for (const origin of origins)
      expect({ origin, blocked: hmrBlocked(origin, config.allowedDevOrigins) }).toEqual({ origin, blocked: false });
  });

  it("accepts the hosts of NEXTAUTH_URL and PUBLIC_URL", async () => {
    const config = await loadConfig({ NEXTAUTH_URL: "http://tollbooth.test:3000", PUBLIC_URL: "https://Dev.Example.org" });
    expect(hmrBlocked("http://tollbooth.test:3000", config.allowedDevOrigins)).toBe(false);
    expect(hmrBlocked("https://dev.example.org", config.allowedDevOrigins)).toBe(false);
  });

  it("still refuses other sites", async () => {
    const config = await loadConfig();
    expect(hmrBlocked("https://evil.example", config.allowedDevOrigins)).toBe(true);
    expect(hmrBlocked("http://127.0.0.1.evil.example", config.allowedDevOrigins)).toBe(true);
  });
});
