#!/usr/bin/env node
// postinstall: generate the Prisma client offline.
// `prisma generate` never runs the schema engine, but the CLI insists the binary exists
// and tries to download it otherwise; pointing PRISMA_SCHEMA_ENGINE_BINARY at an existing
// file (the shared offline stand-in when present, else this script) keeps it offline.
import { existsSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import path from "node:path";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const sharedEngine = path.resolve(root, "../shared/tools/prisma-offline/schema-engine.mjs");
const env = { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: "1", CHECKPOINT_DISABLE: "1" };
if (!env.PRISMA_SCHEMA_ENGINE_BINARY) {
  env.PRISMA_SCHEMA_ENGINE_BINARY = existsSync(sharedEngine) ? sharedEngine : fileURLToPath(import.meta.url);
}
const prismaBin = path.join(root, "node_modules", "prisma", "build", "index.js");
if (!existsSync(prismaBin)) {
  console.log("prisma-generate: prisma CLI not installed yet; skipping");
  process.exit(0);
}
const result = spawnSync(process.execPath, [prismaBin, "generate"], { cwd: root, env, stdio: "inherit" });
process.exit(result.status ?? 1);
