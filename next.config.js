/** @type {import('next').NextConfig} */
const nextConfig = {
  // Database drivers and WebAssembly Postgres stay plain Node modules, not bundled.
  serverExternalPackages: ["@prisma/client", "@prisma/adapter-pg", "pg", "@electric-sql/pglite", "@electric-sql/pglite-socket"],
  poweredByHeader: false,
  typedRoutes: false,
};

export default nextConfig;
