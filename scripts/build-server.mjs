#!/usr/bin/env node
// Compiles the Node entry points (server, worker, operator CLI) to dist/ for the production
// image, so it runs plain `node` without a TypeScript loader. npm packages stay external,
// except this repo's own workspace packages (@tollbooth/l402: the L402 protocol lib/
// imports): the runtime image installs from the registry lock only and has no packages/,
// so their built code goes into dist/.
import { build } from "esbuild";

const WORKSPACE_PACKAGES = /^@tollbooth\//;

/** Every bare import (a package or node: built-in) stays external, but the workspace's own. */
const externalPackages = {
  name: "external-packages-but-workspace",
  setup(builder) {
    builder.onResolve({ filter: /^[^./]/ }, (args) =>
      WORKSPACE_PACKAGES.test(args.path) ? undefined : { path: args.path, external: true },
    );
  },
};

await build({
  entryPoints: { server: "server.ts", worker: "scripts/worker.ts", tollbooth: "scripts/tollbooth.ts" },
  outdir: "dist",
  bundle: true,
  platform: "node",
  target: "node20",
  format: "esm",
  plugins: [externalPackages],
  sourcemap: true,
  logLevel: "info",
  // Bundled ESM has no `require`; some CJS-only deps expect it.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
});
