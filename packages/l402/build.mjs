// Builds @tollbooth/l402: ESM + CJS for each entry (esbuild), .d.ts (tsc), and reports the
// minified size of the server entry. `node build.mjs --size` only reports the size.
//
// Bundling choices:
// - The server + shared entry (".") and the protocol entry ("./protocol") are built for
//   platform "neutral": they must run on Node, Bun, Deno and Workers, so any Node built-in
//   sneaking in fails the build.
// - ESM output keeps @noble/hashes external (a real dependency, deduplicated by the app).
//   CJS output inlines it: @noble/hashes 2.x is ESM-only, and require() of ESM breaks
//   older Node and CJS test runners (Jest), so the CJS build is self-contained.
// - Types: tsc emits ESM declarations to dist/types; a copy under dist/types-cjs with its
//   own {"type":"commonjs"} tells TypeScript those describe the .cjs files.
import { build } from "esbuild";
import { execFileSync } from "node:child_process";
import { chmodSync, cpSync, existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const root = path.dirname(fileURLToPath(import.meta.url));
const dist = path.join(root, "dist");
const at = (...parts) => path.join(root, ...parts);
// 25 KB (20 KB before issue 7, 24 KB before issues 9 and 11): the payment page completes
// the call by itself (status polling, preimage fetch), the gate declares route patterns and
// forwards payer IPs, metered calls settle their charge (req.l402.charge, top-ups, the
// balance header), and a suspended tenant fails closed.
const SIZE_LIMIT_BYTES = 25 * 1024;
const NOBLE = ["@noble/hashes", "@noble/hashes/*"];
const common = { bundle: true, target: "es2022", logLevel: "warning", legalComments: "none" };

/**
 * Minified size of the server entry ("." = dist/index.js: middleware, webhook check, shared
 * helpers). The limit applies to the package's own code, @noble/hashes external, as
 * published; with @noble/hashes inlined (what an app bundle gains if it has no other copy)
 * is printed alongside for information.
 */
async function sizeReport() {
  const measure = async (external) => {
    const result = await build({
      ...common,
      entryPoints: [at("src/index.ts")],
      platform: "neutral",
      format: "esm",
      minify: true,
      write: false,
      external,
    });
    const bytes = result.outputFiles[0].contents;
    return { minified: bytes.length, gzipped: gzipSync(bytes).length };
  };
  const own = await measure(NOBLE);
  const withNoble = await measure([]);
  const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
  console.log(
    `size of the server entry (src/index.ts), minified: ${own.minified} bytes = ${kb(own.minified)} (${kb(own.gzipped)} gzipped); limit ${kb(SIZE_LIMIT_BYTES)}`,
  );
  console.log(`  with @noble/hashes (sha256, hmac) inlined: ${kb(withNoble.minified)} (${kb(withNoble.gzipped)} gzipped)`);
  if (own.minified > SIZE_LIMIT_BYTES) {
    console.error(`size check failed: ${own.minified} bytes > ${SIZE_LIMIT_BYTES}`);
    process.exitCode = 1;
  }
}

async function buildEntry({ entry, name, platform, external = [] }) {
  await build({
    ...common,
    entryPoints: [at(entry)],
    platform,
    format: "esm",
    outfile: path.join(dist, `${name}.js`),
    external: [...NOBLE, ...external],
  });
  await build({ ...common, entryPoints: [at(entry)], platform, format: "cjs", outfile: path.join(dist, `${name}.cjs`), external });
}

async function buildAll() {
  rmSync(dist, { recursive: true, force: true });
  const hasClient = existsSync(at("src/client/index.ts"));
  const hasCli = existsSync(at("src/client/cli.ts"));

  await buildEntry({ entry: "src/index.ts", name: "index", platform: "neutral" });
  // The whole protocol (macaroons, signatures) for servers that mint and check tokens.
  await buildEntry({ entry: "src/protocol/index.ts", name: "protocol", platform: "neutral" });
  // The client may use Node built-ins in Node-only parts; those node: imports stay external.
  if (hasClient) await buildEntry({ entry: "src/client/index.ts", name: "client", platform: "neutral", external: ["node:*"] });
  if (hasCli) {
    const cliSource = readFileSync(at("src/client/cli.ts"), "utf8");
    await build({
      ...common,
      entryPoints: [at("src/client/cli.ts")],
      platform: "node",
      format: "esm",
      outfile: path.join(dist, "cli.js"),
      external: NOBLE,
      // esbuild keeps the entry's own hashbang; add one only if the source has none.
      ...(cliSource.startsWith("#!") ? {} : { banner: { js: "#!/usr/bin/env node" } }),
    });
    chmodSync(path.join(dist, "cli.js"), 0o755);
  }

  const tsc = path.resolve(root, "../../node_modules/.bin/tsc");
  const runTsc = (...args) => {
    try {
      execFileSync(tsc, args, { stdio: "inherit" });
    } catch {
      console.error(`tsc ${args.join(" ")} failed (errors above)`);
      process.exit(1);
    }
  };
  // The server entry must type-check without Node's types (Workers, Deno, browsers' fetch).
  runTsc("-p", at("tsconfig.neutral.json"));
  runTsc("-p", at("tsconfig.build.json"), "--emitDeclarationOnly");
  cpSync(path.join(dist, "types"), path.join(dist, "types-cjs"), { recursive: true });
  writeFileSync(path.join(dist, "types-cjs", "package.json"), `${JSON.stringify({ type: "commonjs" })}\n`);

  console.log(
    `built ${path.relative(process.cwd(), dist) || "dist"}: index.{js,cjs}, protocol.{js,cjs}${hasClient ? ", client.{js,cjs}" : " (no src/client/index.ts yet)"}${hasCli ? ", cli.js" : " (no src/client/cli.ts yet)"}, types`,
  );
}

if (!process.argv.includes("--size")) await buildAll();
await sizeReport();
