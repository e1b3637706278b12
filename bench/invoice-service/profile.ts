/**
 * Summarises a V8 .cpuprofile (as `node --cpu-prof` writes it): self time summed by
 * function (name + source file), and by category (signing, HMAC, JSON, Prisma, pg, Hono,
 * ...). Frames in the esbuild bundle (dist/server.js) are mapped back to their source
 * files through its source map, so lib/ code shows up under its own path.
 *
 * Used by run.ts; also runs alone:
 *   npx tsx bench/invoice-service/profile.ts <file.cpuprofile> [--top 25]
 */
import fs from "node:fs";
import path from "node:path";
import { SourceMap } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface FunctionCost {
  name: string;
  source: string;
  category: string;
  selfMs: number;
}

export interface ProfileSummary {
  file: string;
  /** Wall time covered by the samples counted (ms). */
  windowMs: number;
  /** Of windowMs, time the thread was not idle (ms). */
  busyMs: number;
  functions: FunctionCost[];
  categories: { category: string; selfMs: number }[];
}

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** Where a frame's code lives, relative to the repo (bundle frames mapped to their source). */
function sourceResolver() {
  const maps = new Map<string, SourceMap | null>();
  const mapFor = (url: string): SourceMap | null => {
    if (maps.has(url)) return maps.get(url)!;
    let map: SourceMap | null = null;
    try {
      const file = fileURLToPath(url);
      if (fs.existsSync(`${file}.map`)) map = new SourceMap(JSON.parse(fs.readFileSync(`${file}.map`, "utf8")));
    } catch {
      map = null;
    }
    maps.set(url, map);
    return map;
  };
  return (frame: CallFrame): string => {
    const { url } = frame;
    if (!url) return "";
    if (url.startsWith("file://")) {
      const map = mapFor(url);
      let file = fileURLToPath(url);
      if (map) {
        const entry = map.findEntry(frame.lineNumber, frame.columnNumber) as { originalSource?: string };
        if (entry?.originalSource) {
          file = entry.originalSource.startsWith("file://")
            ? fileURLToPath(entry.originalSource)
            : path.resolve(path.dirname(fileURLToPath(url)), entry.originalSource);
        }
      }
      const relative = path.relative(ROOT, file);
      // node_modules/<pkg>/... is enough to say which package; keep the rest short.
      const nm = relative.lastIndexOf("node_modules/");
      return nm >= 0 ? relative.slice(nm) : relative;
    }
    return url;
  };
}

/** The bucket a function's self time goes into; the first matching rule wins. */
export function categorize(name: string, source: string): string {
  if (name === "(idle)") return "idle (waiting for I/O)";
  if (name === "(garbage collector)") return "GC";
  if (name === "(program)") return "V8/native, unattributed";
  if (source.startsWith("wasm called from ")) {
    if (source.includes("tiny-secp256k1") || source.includes("bolt11-signer")) return "secp256k1 signing (tiny-secp256k1)";
    if (source.includes("@prisma/")) return "Prisma client runtime";
    return "WebAssembly, other";
  }
  if (source.includes("tiny-secp256k1") || source.includes("bolt11-signer")) return "secp256k1 signing (tiny-secp256k1)";
  if (source.includes("@noble/curves")) return "secp256k1 (@noble/curves)";
  if (source.includes("@noble/hashes")) return "SHA-256 / HMAC in JS (@noble/hashes)";
  if (source.includes("lib/lightning/bolt11") || source.includes("@scure/base")) return "BOLT11 encoding, bech32/base64 (@scure/base)";
  if (source.includes("lib/l402/") || source.includes("packages/l402/")) return "L402 macaroons, caveats, headers";
  if (
    source.includes("@prisma/adapter-pg") ||
    /node_modules\/(pg|pg-protocol|pg-pool|pg-types|pg-connection-string|postgres-[a-z]+)\//.test(source)
  )
    return "pg driver + Prisma pg adapter";
  if (source.includes("@prisma/") || source.includes("lib/db/generated/")) return "Prisma client runtime";
  if (source.includes("zod")) return "zod validation (incl. @hono/zod-openapi)";
  if (source.includes("node_modules/hono/") || source.includes("@hono/")) return "Hono + @hono/node-server";
  if (/^node:internal\/(crypto|webcrypto)|^node:crypto/.test(source)) return "node:crypto";
  if (
    /^node:(internal\/)?(http|_http|net|stream|streams|dns|tls|url|internal\/url|internal\/streams)/.test(source) ||
    /^node:_http/.test(source) ||
    source.startsWith("node:internal/http") ||
    source.startsWith("node:internal/streams")
  )
    return "Node HTTP, sockets, streams";
  if (source === "" && /^(writev|writeBuffer|writeUtf8String|writeLatin1String|writeAsciiString)$/.test(name))
    return "socket write syscalls (loopback TCP)";
  if (source === "" && /^(stringify|parse|JSONStringify|JSONParse)$/.test(name)) return "JSON (native)";
  if (source.startsWith("lib/") || source === "server.ts") return "Tollbooth lib code (other)";
  if (source.startsWith("node:")) return "Node internals (other)";
  if (source === "") return "V8 builtins / native (other)";
  return "other";
}

export function summarizeProfile(file: string, window?: { fromUs: number; toUs: number }): ProfileSummary {
  const profile = JSON.parse(fs.readFileSync(file, "utf8")) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n] as const));
  const resolve = sourceResolver();
  const sourceOf = new Map<number, string>();
  const self = new Map<number, number>(); // node id -> µs

  let t = profile.startTime;
  let windowUs = 0;
  const n = profile.samples.length;
  for (let i = 0; i < n; i++) {
    t += profile.timeDeltas[i] ?? 0;
    // A sample stands for the time until the next one.
    const duration = i + 1 < n ? (profile.timeDeltas[i + 1] ?? 0) : 0;
    if (window && (t < window.fromUs || t > window.toUs)) continue;
    windowUs += duration;
    const id = profile.samples[i]!;
    self.set(id, (self.get(id) ?? 0) + duration);
  }

  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const sourceFor = (id: number): string => {
    let source = sourceOf.get(id);
    if (source === undefined) {
      source = resolve(byId.get(id)!.callFrame);
      sourceOf.set(id, source);
    }
    return source;
  };
  // WebAssembly frames are anonymous: name them after the JavaScript that called into them.
  const wasmCaller = (id: number): string => {
    for (let current = parentOf.get(id); current !== undefined; current = parentOf.get(current)) {
      const source = sourceFor(current);
      if (source && !source.startsWith("wasm://")) return source;
    }
    return "";
  };

  const functions = new Map<string, FunctionCost>();
  for (const [id, us] of self) {
    const node = byId.get(id);
    if (!node) continue;
    const frame = node.callFrame;
    if (frame.functionName === "(root)") continue;
    const source = sourceFor(id);
    const name = frame.functionName || "(anonymous)";
    const key = `${name}\u0000${source}`;
    const category = source.startsWith("wasm://") ? categorize(name, `wasm called from ${wasmCaller(id)}`) : categorize(name, source);
    const entry = functions.get(key) ?? { name, source, category, selfMs: 0 };
    entry.selfMs += us / 1000;
    functions.set(key, entry);
  }
  const list = [...functions.values()].sort((a, b) => b.selfMs - a.selfMs);
  const categories = new Map<string, number>();
  for (const f of list) categories.set(f.category, (categories.get(f.category) ?? 0) + f.selfMs);
  const idleMs = categories.get("idle (waiting for I/O)") ?? 0;
  return {
    file,
    windowMs: windowUs / 1000,
    busyMs: windowUs / 1000 - idleMs,
    functions: list,
    categories: [...categories].map(([category, selfMs]) => ({ category, selfMs })).sort((a, b) => b.selfMs - a.selfMs),
  };
}

const pct = (part: number, whole: number) => (whole > 0 ? `${((part / whole) * 100).toFixed(1)}%` : "-");

export function formatSummary(summary: ProfileSummary, top = 25): string {
  const lines: string[] = [];
  lines.push(`profile ${path.relative(process.cwd(), summary.file) || summary.file}`);
  lines.push(
    `window ${(summary.windowMs / 1000).toFixed(2)} s, main thread busy ${(summary.busyMs / 1000).toFixed(2)} s (${pct(summary.busyMs, summary.windowMs)}); shares below are of busy time`,
  );
  lines.push("");
  lines.push(`${"by category".padEnd(50)} self ms   share`);
  for (const c of summary.categories) {
    if (c.category.startsWith("idle")) continue;
    lines.push(`  ${c.category.padEnd(48)} ${c.selfMs.toFixed(0).padStart(7)}  ${pct(c.selfMs, summary.busyMs).padStart(6)}`);
  }
  lines.push("");
  lines.push(`top ${top} functions by self time (idle excluded)`);
  const busyFunctions = summary.functions.filter((f) => f.name !== "(idle)").slice(0, top);
  for (const f of busyFunctions) {
    const where = f.source ? ` ${f.source}` : "";
    lines.push(`  ${f.selfMs.toFixed(0).padStart(6)} ms ${pct(f.selfMs, summary.busyMs).padStart(6)}  ${f.name}${where}`);
  }
  return lines.join("\n");
}

const entry = process.argv[1];
if (entry && import.meta.url === pathToFileURL(path.resolve(entry)).href) {
  const args = process.argv.slice(2);
  const file = args.find((a) => !a.startsWith("--"));
  if (!file || args.includes("--help")) {
    console.log("usage: npx tsx bench/invoice-service/profile.ts <file.cpuprofile> [--top N]");
    process.exit(file ? 0 : 1);
  }
  const topIndex = args.indexOf("--top");
  const top = topIndex >= 0 ? Number(args[topIndex + 1]) : 25;
  console.log(formatSummary(summarizeProfile(file), top));
}
