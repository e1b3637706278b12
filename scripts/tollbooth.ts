// The operator CLI: `npm run tollbooth -- <command> [options]`. Plain text by default,
// JSON with --json. Uses DATABASE_URL, else the embedded database (the running dev
// server's, or .data/ directly when none runs).
import { parseArgs } from "node:util";
import { randomBytes } from "node:crypto";
import { applyMigrations, migrationStatus } from "../lib/db/migrate";
import { connectDatabase } from "../lib/db/resolve";
import { AppError } from "../lib/errors";

interface Command {
  summary: string;
  usage: string;
  options: Record<string, { type: "string" | "boolean"; description: string }>;
  run(values: Record<string, string | boolean | undefined>, url: string): Promise<{ text: string; json: unknown }>;
}

const COMMANDS: Record<string, Command> = {
  migrate: {
    summary: "Apply pending database migrations (or show their status)",
    usage: "migrate [--status]",
    options: { status: { type: "boolean", description: "only report applied and pending migrations" } },
    async run(values, url) {
      if (values.status) {
        const status = await migrationStatus(url);
        const text = [
          `applied: ${status.applied.length}`,
          ...status.pending.map((n) => `pending: ${n}`),
          ...status.problems.map((p) => `problem: ${p}`),
        ].join("\n");
        return { text, json: status };
      }
      const applied = await applyMigrations(url);
      return { text: applied.length ? applied.map((n) => `applied ${n}`).join("\n") : "Database is up to date.", json: { applied } };
    },
  },
  seed: {
    summary: "Create the demo tenant and its login (idempotent)",
    usage: "seed",
    options: {},
    async run(_values, url) {
      await applyMigrations(url);
      const { seedDemo } = await import("../lib/seed/demo");
      const demo = await seedDemo(await db(url));
      return {
        text: `${demo.created ? "Created" : "Already present"}: ${demo.email} / ${demo.password} (tenant ${demo.tenantSlug})\nTest API key: ${demo.apiKey}`,
        json: demo,
      };
    },
  },
  "tenant:create": {
    summary: "Create a tenant owned by an existing user",
    usage: "tenant:create --name <name> --owner <email>",
    options: {
      name: { type: "string", description: "tenant name (2–80 characters)" },
      owner: { type: "string", description: "email of the user who will own it" },
    },
    async run(values, url) {
      const { createTenantForUser } = await import("../lib/tenants/accounts");
      const prisma = await db(url);
      const owner = await prisma.user.findUnique({ where: { email: String(values.owner ?? "").toLowerCase() } });
      if (!owner)
        throw new AppError(
          "not_found_error",
          "user_not_found",
          `No user with email ${values.owner ?? "(missing --owner)"}. Create one with user:create.`,
        );
      const tenant = await createTenantForUser(prisma, owner.id, values.name ?? "", { userAgent: "tollbooth-cli" });
      return {
        text: `Created tenant ${tenant.name} (${tenant.slug}, id ${tenant.id}) owned by ${owner.email}`,
        json: { id: tenant.id, name: tenant.name, slug: tenant.slug, owner: owner.email },
      };
    },
  },
  "user:create": {
    summary: "Create a user with their own tenant",
    usage: "user:create --email <email> [--password <pw>] [--name <name>] [--tenant-name <name>]",
    options: {
      email: { type: "string", description: "login email" },
      password: { type: "string", description: "at least 10 characters; generated and printed when omitted" },
      name: { type: "string", description: "display name" },
      "tenant-name": { type: "string", description: "name of the user's first tenant (default: \"<email>'s workspace\")" },
    },
    async run(values, url) {
      const { createAccount } = await import("../lib/tenants/accounts");
      const email = String(values.email ?? "");
      const password = (values.password as string | undefined) ?? randomBytes(12).toString("base64url");
      const { user, tenant } = await createAccount(
        await db(url),
        { email, password, name: values.name, tenantName: values["tenant-name"] ?? `${email.split("@")[0]}'s workspace` },
        { userAgent: "tollbooth-cli" },
      );
      const generated = values.password === undefined;
      return {
        text: `Created user ${user.email} (id ${user.id}) owning tenant ${tenant.name} (${tenant.slug})${generated ? `\nPassword: ${password}` : ""}`,
        json: {
          id: user.id,
          email: user.email,
          tenant: { id: tenant.id, name: tenant.name, slug: tenant.slug },
          ...(generated ? { password } : {}),
        },
      };
    },
  },
  "admin:token": {
    summary: "Generate an operator API token (for ADMIN_API_TOKEN; stored nowhere)",
    usage: "admin:token",
    options: {},
    async run() {
      const { generateOperatorToken } = await import("../lib/admin/token");
      const token = generateOperatorToken();
      return {
        text: `${token}\nSet ADMIN_API_TOKEN=${token} in the app's environment and restart it; /api/admin/* then takes it as\n"Authorization: Bearer <token>". It is not stored anywhere: keep it in your secret store.`,
        json: { token, env: `ADMIN_API_TOKEN=${token}` },
      };
    },
  },
  "key:create": {
    summary: "Create an API key for a tenant (shown once)",
    usage:
      "key:create --tenant <id|slug> [--name <name>] [--mode test|live] [--scopes a,b] [--allowed-ips cidr,...] [--expires-at <ISO date>]",
    options: {
      tenant: { type: "string", description: "tenant id or slug" },
      name: { type: "string", description: 'what the key is for (default "CLI key")' },
      mode: { type: "string", description: "test (simulated Lightning, default) or live" },
      scopes: {
        type: "string",
        description:
          "comma-separated: invoices:write,stats:read,payments:read,endpoints:write,payouts:read,payouts:write (default all but payouts:write)",
      },
      "allowed-ips": { type: "string", description: "comma-separated client IPs or CIDR ranges (default any)" },
      "expires-at": { type: "string", description: "expiry, e.g. 2027-01-01T00:00:00Z (default never)" },
    },
    async run(values, url) {
      const { createApiKey } = await import("../lib/keys/api-keys");
      const tenant = await findTenant(url, values.tenant);
      const list = (v: unknown) =>
        typeof v === "string"
          ? v
              .split(",")
              .map((s) => s.trim())
              .filter(Boolean)
          : undefined;
      const { key, record } = await createApiKey(await db(url), tenant.id, {
        name: values.name ?? "CLI key",
        mode: values.mode ?? "test",
        scopes: list(values.scopes),
        allowedIps: list(values["allowed-ips"]),
        expiresAt: values["expires-at"],
      });
      return {
        text: `Created ${record.mode} key "${record.name}" for ${tenant.name} (id ${record.id}, scopes ${record.scopes.join(",")})\n${key}\nStore it now: it is not shown again.`,
        json: {
          id: record.id,
          key,
          mode: record.mode,
          name: record.name,
          scopes: record.scopes,
          allowedIps: record.allowedIps,
          expiresAt: record.expiresAt,
          tenantId: tenant.id,
        },
      };
    },
  },
  "key:rotate": {
    summary: "Replace a key; the old one keeps working until --old-expires-at (default 24 h)",
    usage: "key:rotate --tenant <id|slug> --key-id <id> [--old-expires-at <ISO date>]",
    options: {
      tenant: { type: "string", description: "tenant id or slug" },
      "key-id": { type: "string", description: "id of the key to replace" },
      "old-expires-at": { type: "string", description: "when the old key stops working (default: in 24 hours)" },
    },
    async run(values, url) {
      const { rotateApiKey } = await import("../lib/keys/api-keys");
      const tenant = await findTenant(url, values.tenant);
      const oldExpiry = values["old-expires-at"] ? new Date(String(values["old-expires-at"])) : undefined;
      if (oldExpiry && Number.isNaN(oldExpiry.getTime()))
        throw new AppError(
          "invalid_request_error",
          "invalid_expiry",
          "--old-expires-at is not a date (use ISO 8601, e.g. 2027-01-01T00:00:00Z).",
        );
      const { key, record } = await (await db(url)).$transaction((tx) =>
        rotateApiKey(tx, tenant.id, String(values["key-id"] ?? ""), oldExpiry),
      );
      await invalidateKeys(tenant.id);
      return {
        text: `New key (id ${record.id}):\n${key}\nThe old key works until ${(oldExpiry ?? new Date(Date.now() + 86_400_000)).toISOString()}.`,
        json: { id: record.id, key, rotatedFromId: record.rotatedFromId },
      };
    },
  },
  reconcile: {
    summary: "Reconcile now: the ledger's Lightning holdings against the node and against invoices minus payouts",
    usage: "reconcile",
    options: {},
    async run(_values, url) {
      const { runReconciliation } = await import("../lib/reconciliation/run");
      const runs = await runReconciliation(await db(url), { trigger: "manual" });
      const line = (r: (typeof runs)[number]) =>
        `${r.mode}: ${r.matched ? "matched" : "DIFFERENCE"}; ledger ${r.ledgerLightningMsat} msat, ${r.backend} ${r.backendBalanceMsat ?? `unavailable (${r.backendError})`} msat, in − out ${r.flowMsat} msat`;
      return {
        text: runs.map(line).join("\n"),
        json: runs.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === "bigint" ? v.toString() : v]))),
      };
    },
  },
  "key:revoke": {
    summary: "Revoke an API key at once",
    usage: "key:revoke --tenant <id|slug> --key-id <id>",
    options: {
      tenant: { type: "string", description: "tenant id or slug" },
      "key-id": { type: "string", description: "id of the key to revoke" },
    },
    async run(values, url) {
      const { revokeApiKey } = await import("../lib/keys/api-keys");
      const tenant = await findTenant(url, values.tenant);
      await revokeApiKey(await db(url), tenant.id, String(values["key-id"] ?? ""));
      await invalidateKeys(tenant.id);
      return { text: `Revoked key ${values["key-id"]}.`, json: { revoked: values["key-id"] } };
    },
  },
};

/** With REDIS_URL set, running API processes drop their cached keys at once (else within
 *  API_KEY_CACHE_MS). */
async function invalidateKeys(tenantId: string) {
  const { invalidate } = await import("../lib/redis/invalidation");
  const { closeRedis } = await import("../lib/redis/client");
  await invalidate({ kind: "api-keys", tenantId });
  await closeRedis();
}

async function findTenant(url: string, idOrSlug: unknown) {
  if (typeof idOrSlug !== "string" || !idOrSlug)
    throw new AppError("invalid_request_error", "missing_tenant", "Say which tenant: --tenant <id or slug>.", { param: "tenant" });
  const tenant = await (await db(url)).tenant.findFirst({ where: { OR: [{ id: idOrSlug }, { slug: idOrSlug }] } });
  if (!tenant) throw new AppError("not_found_error", "tenant_not_found", `No tenant with id or slug ${idOrSlug}.`);
  return tenant;
}

let prismaClient: import("../lib/db/client").Db | undefined;
async function db(url: string) {
  const { createDb } = await import("../lib/db/client");
  prismaClient ??= createDb(url, 2);
  return prismaClient;
}

function help(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((name) => name.length));
  return [
    "Usage: npm run tollbooth -- <command> [options]",
    "",
    "Commands:",
    ...Object.entries(COMMANDS).map(([name, command]) => `  ${name.padEnd(width)}  ${command.summary}`),
    "",
    "Options for every command:",
    "  --json   print JSON instead of text",
    "  --help   show help (also: <command> --help)",
    "",
    "Database: DATABASE_URL, else the embedded one under .data/.",
  ].join("\n");
}

function commandHelp(_name: string, command: Command): string {
  return [
    `Usage: npm run tollbooth -- ${command.usage} [--json]`,
    "",
    command.summary,
    "",
    ...Object.entries(command.options).map(([flag, o]) => `  --${flag.padEnd(14)} ${o.description}`),
  ].join("\n");
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    console.log(help());
    return 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    console.error(`Unknown command "${name}".\n\n${help()}`);
    return 2;
  }
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: rest,
      options: { ...command.options, json: { type: "boolean" }, help: { type: "boolean", short: "h" } },
      strict: true,
    }));
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${commandHelp(name, command)}`);
    return 2;
  }
  if (values.help) {
    console.log(commandHelp(name, command));
    return 0;
  }
  const database = await connectDatabase();
  try {
    const result = await command.run(values, database.url);
    console.log(values.json ? JSON.stringify(result.json, null, 2) : result.text);
    return 0;
  } catch (error) {
    if (error instanceof AppError) {
      if (values.json) console.log(JSON.stringify(error.toJSON(), null, 2));
      else console.error(`Error: ${error.message}`);
      return 1;
    }
    throw error;
  } finally {
    await prismaClient?.$disconnect();
    await database.stop();
  }
}

process.exitCode = await main(process.argv.slice(2));
