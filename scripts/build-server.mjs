#!/usr/bin/env node
// Compiles the Node entry points (server, worker, operator CLI) to dist/ for the production
// image, so it runs plain `node` without a TypeScript loader. npm packages stay external.
import { build } from "esbuild";

await build({
  entryPoints: { server: "server.ts", worker: "scripts/worker.ts", tollbooth: "scripts/tollbooth.ts" },
  outdir: "dist",
  bundle: true,
  platform: "node",
  target: "node20",
  format: "esm",
  packages: "external",
  sourcemap: true,
  logLevel: "info",
  // Bundled ESM has no `require`; some CJS-only deps expect it.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
});
