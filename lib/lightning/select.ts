/**
 * Which Lightning backend serves a key mode. Test mode is always the simulated node on
 * testnet (lntb... invoices that no real wallet will pay by mistake). Live mode follows
 * LIGHTNING_BACKEND: "simulated" (the default, mainnet prefix; refused in production),
 * "lnd" or "lnbits". An invoice is looked up later on the backend that made it (stored on
 * the invoice), whatever LIGHTNING_BACKEND says by then.
 */

import { readFileSync } from "node:fs";
import type { Db } from "../db/client";
import type { BackendName, LightningBackend } from "./backend";
import { createLndBackend } from "./lnd";
import { createLnbitsBackend } from "./lnbits";
import { createSimulatedBackend } from "./simulated";

export type KeyMode = "test" | "live";

/** process.env, or a plain object in tests. */
export type Environment = Readonly<Record<string, string | undefined>>;

/** A missing or wrong setting; the message names the environment variable to fix. */
export class LightningConfigurationError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(message);
    this.name = "LightningConfigurationError";
  }
}

/** One backend per (database, mode, backend, its settings): signer set-up and HTTP settings
 *  are done once, and changed settings (tests, a reconfigured process) get a new one. */
const backendsByDb = new WeakMap<Db, Map<string, LightningBackend>>();

/** The backend that issues new invoices for a key of this mode (the invoice path). */
export function lightningBackendFor(mode: KeyMode, db: Db, env: Environment = process.env): LightningBackend {
  if (mode === "test") return cachedBackend(db, "test", "simulated", env);
  const name = liveBackendName(env);
  const refusal = liveBackendRefusal(name, env);
  if (refusal) throw refusal;
  return cachedBackend(db, "live", name, env);
}

/**
 * The backend that made an invoice, for looking it up (the settlement watcher): the name
 * stored on the invoice, not LIGHTNING_BACKEND now, so switching nodes does not lose the
 * invoices of the old one. Its settings still come from the environment; a backend that is
 * no longer configured gives a LightningConfigurationError naming the missing variable.
 * Lookups are never refused in production: they move no money.
 */
export function lightningBackendOf(invoice: { mode: KeyMode; backend: string }, db: Db, env: Environment = process.env): LightningBackend {
  const name = backendName(invoice.backend, `invoice backend "${invoice.backend}"`);
  if (invoice.mode === "test" && name !== "simulated") {
    throw new LightningConfigurationError(
      "LIGHTNING_BACKEND",
      `a test-mode invoice cannot come from ${name}: test mode is always the simulated node`,
    );
  }
  return cachedBackend(db, invoice.mode, name, env);
}

/** The backend name live mode will use, without building it (health checks, the dashboard). */
export function liveBackendName(env: Environment = process.env): BackendName {
  return backendName((env.LIGHTNING_BACKEND ?? "").trim().toLowerCase() || "simulated", "LIGHTNING_BACKEND");
}

/**
 * Why live keys cannot get invoices, or null when they can: in production the simulated
 * node never serves live keys (its "payments" are not money, and its default key is
 * public), so a forgotten LIGHTNING_BACKEND cannot make live invoices anyone could fake.
 */
export function liveBackendRefusal(name: BackendName, env: Environment = process.env): LightningConfigurationError | null {
  if (name !== "simulated" || env.NODE_ENV !== "production") return null;
  return new LightningConfigurationError(
    "LIGHTNING_BACKEND",
    `Live keys are refused: LIGHTNING_BACKEND is "simulated"${env.LIGHTNING_BACKEND ? "" : " (the default)"}, and the simulated node never serves live keys in production. Set LIGHTNING_BACKEND=lnd or lnbits (with its settings); test keys keep working.`,
  );
}

/** What start-up banners say about test keys: always the same. */
export const TEST_KEYS_LIGHTNING = "test keys use the simulated node (testnet invoices, no real money)";

/**
 * What start-up banners say about live keys: the backend they use and where that comes
 * from, or that they are refused, with the problem to fix (naming the variable). Never
 * throws: a half-configured backend is reported, not fatal, so test keys and the
 * dashboard keep working while the operator fixes it.
 */
export function describeLiveLightning(env: Environment = process.env): { live: string; problem?: string } {
  let name: BackendName;
  try {
    name = liveBackendName(env);
  } catch (error) {
    return { live: "live keys are refused (LIGHTNING_BACKEND is not a known backend)", problem: (error as Error).message };
  }
  const refusal = liveBackendRefusal(name, env);
  if (refusal) return { live: "live keys are refused (LIGHTNING_BACKEND=simulated in production)", problem: refusal.message };
  const source = env.LIGHTNING_BACKEND?.trim() ? `LIGHTNING_BACKEND=${name}` : "LIGHTNING_BACKEND unset";
  if (name === "simulated")
    return { live: `live keys use the simulated node too (${source}: mainnet invoices, no real money, development only)` };
  try {
    // Only reads and checks the settings: building an adapter talks to no node.
    createLiveBackend({} as Db, name, env);
  } catch (error) {
    return { live: `live keys use ${name} (${source}), which is not configured: live invoices fail`, problem: (error as Error).message };
  }
  return { live: `live keys use ${name} (${source}: real payments)` };
}

function backendName(value: string, variable: string): BackendName {
  const name = value.trim().toLowerCase();
  if (name === "simulated" || name === "lnd" || name === "lnbits") return name;
  throw new LightningConfigurationError("LIGHTNING_BACKEND", `${variable} must be "simulated", "lnd" or "lnbits", not "${value}"`);
}

/** The variables each backend is built from (see createLiveBackend). */
const BACKEND_SETTINGS: Record<BackendName, readonly string[]> = {
  simulated: [],
  lnd: ["LND_REST_URL", "LND_MACAROON_HEX", "LND_TLS_CERT"],
  lnbits: ["LNBITS_URL", "LNBITS_INVOICE_KEY", "LNBITS_ADMIN_KEY"],
};

function cachedBackend(db: Db, mode: KeyMode, name: BackendName, env: Environment): LightningBackend {
  let byKey = backendsByDb.get(db);
  if (!byKey) {
    byKey = new Map();
    backendsByDb.set(db, byKey);
  }
  const cacheKey = [mode, name, ...BACKEND_SETTINGS[name].map((variable) => env[variable] ?? "")].join("\n");
  let backend = byKey.get(cacheKey);
  if (!backend) {
    backend = mode === "test" ? createSimulatedBackend(db, { network: "testnet" }) : createLiveBackend(db, name, env);
    byKey.set(cacheKey, backend);
  }
  return backend;
}

function createLiveBackend(db: Db, name: BackendName, env: Environment): LightningBackend {
  switch (name) {
    case "simulated":
      return createSimulatedBackend(db, { network: "mainnet" });
    case "lnd":
      return createLndBackend({
        restUrl: required(env, "LND_REST_URL", "lnd"),
        macaroonHex: required(env, "LND_MACAROON_HEX", "lnd"),
        tlsCert: lndTlsCert(env),
      });
    case "lnbits":
      return createLnbitsBackend({
        url: required(env, "LNBITS_URL", "lnbits"),
        invoiceKey: required(env, "LNBITS_INVOICE_KEY", "lnbits"),
        adminKey: required(env, "LNBITS_ADMIN_KEY", "lnbits"),
      });
  }
}

/** LND_TLS_CERT: tls.cert's PEM text, or the path of the file; unset: a publicly trusted certificate. */
function lndTlsCert(env: Environment): string | undefined {
  const value = env.LND_TLS_CERT?.trim();
  if (!value) return undefined;
  if (value.startsWith("-----BEGIN")) return value;
  try {
    return readFileSync(value, "utf8");
  } catch (error) {
    throw new LightningConfigurationError(
      "LND_TLS_CERT",
      `LND_TLS_CERT is neither a PEM certificate nor a readable file: ${(error as Error).message}`,
    );
  }
}

function required(env: Environment, variable: string, backend: BackendName): string {
  const value = env[variable]?.trim();
  if (!value) throw new LightningConfigurationError(variable, `The ${backend} backend needs ${variable}, which is not set`);
  return value;
}
