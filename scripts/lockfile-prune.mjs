#!/usr/bin/env node
// Run after changing dependencies: `npm install && node scripts/lockfile-prune.mjs`.
// Our registry mirror lacks some platform builds of optional native packages (e.g.
// @next/swc-darwin-arm64). npm then writes a lockfile that names them as optional
// dependencies without entries, and `npm ci` refuses it ("Missing: ... from lock file").
// This drops optional dependencies that have no entry, which is what npm installs anyway.
//   --help
import { readFileSync, writeFileSync } from "node:fs";

if (process.argv.includes("--help")) {
  console.log(
    "Usage: node scripts/lockfile-prune.mjs\nRemoves unresolvable optional dependencies from package-lock.json so `npm ci` accepts it.",
  );
  process.exit(0);
}

const lock = JSON.parse(readFileSync("package-lock.json", "utf8"));
const removed = [];
const resolvable = (from, dep) => {
  const parts = from.split("node_modules/");
  for (let i = parts.length; i >= 1; i--) {
    const base = parts.slice(0, i).join("node_modules/");
    if (lock.packages[`${base}${base && !base.endsWith("/") ? "/" : ""}node_modules/${dep}`]) return true;
  }
  return false;
};
for (const [key, entry] of Object.entries(lock.packages)) {
  for (const dep of Object.keys(entry.optionalDependencies ?? {})) {
    if (!resolvable(key, dep)) {
      delete entry.optionalDependencies[dep];
      removed.push(`${key || "(root)"} -> ${dep}`);
    }
  }
}
writeFileSync("package-lock.json", `${JSON.stringify(lock, null, 2)}\n`);
console.log(
  removed.length ? `Removed ${removed.length} unresolvable optional dependencies:\n${removed.join("\n")}` : "Lockfile already clean.",
);
