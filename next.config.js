import { hostname, networkInterfaces } from "node:os";

/**
 * Every host name this machine's dev server can be opened at. Next's dev server refuses its
 * own scripts and HMR socket to any page origin but localhost (a page at
 * http://127.0.0.1:3000 then never hydrates, so no form submits). The server listens on
 * every interface (HOST=0.0.0.0), so 127.0.0.1, the LAN addresses, the machine's name and
 * the configured public URLs must all work. Self-contained (node:os only): the production
 * image copies this file alone. Next ignores the list in production.
 * @param {NodeJS.ProcessEnv} env
 * @returns {string[]}
 */
export function devOrigins(env = process.env) {
  const origins = new Set(["127.0.0.1", "[::1]"]);
  for (const addresses of Object.values(networkInterfaces())) {
    for (const { address, family } of addresses ?? []) {
      // Browsers report IPv6 origins in brackets; a zone id (fe80::1%eth0) cannot be in a URL.
      if (family === "IPv4") origins.add(address);
      else if (!address.includes("%")) origins.add(`[${address}]`);
    }
  }
  const name = hostname().toLowerCase();
  origins.add(name);
  if (!name.includes(".")) origins.add(`${name}.local`); // mDNS, as macOS and Avahi announce it
  for (const url of [env.HOST && `http://${env.HOST}`, env.NEXTAUTH_URL, env.PUBLIC_URL]) {
    try {
      if (url) origins.add(new URL(url).hostname.toLowerCase());
    } catch {
      // Not a URL: nothing to allow.
    }
  }
  return [...origins];
}

/** @type {import('next').NextConfig} */
const nextConfig = {
  // Database drivers and WebAssembly Postgres stay plain Node modules, not bundled.
  serverExternalPackages: ["@prisma/client", "@prisma/adapter-pg", "pg", "@electric-sql/pglite", "@electric-sql/pglite-socket"],
  poweredByHeader: false,
  typedRoutes: false,
  allowedDevOrigins: devOrigins(),
};

export default nextConfig;
