/**
 * Which Lightning backend serves a key mode. Test mode is always the simulated node on
 * testnet (lntb... invoices that no real wallet will pay by mistake). Live mode follows
 * LIGHTNING_BACKEND: "simulated" (the default, mainnet prefix), "lnd" or "lnbits".
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

/** One backend per (database, mode): signer set-up and HTTP settings are done once. */
const backendsByDb = new WeakMap<Db, Map<KeyMode, LightningBackend>>();

export function lightningBackendFor(mode: KeyMode, db: Db, env: Environment = process.env): LightningBackend {
  let byMode = backendsByDb.get(db);
  if (!byMode) {
    byMode = new Map();
    backendsByDb.set(db, byMode);
  }
  let backend = byMode.get(mode);
  if (!backend) {
    backend = mode === "test" ? createSimulatedBackend(db, { network: "testnet" }) : createLiveBackend(db, env);
    byMode.set(mode, backend);
  }
  return backend;
}

/** The backend name live mode will use, without building it (health checks, the dashboard). */
export function liveBackendName(env: Environment = process.env): BackendName {
  const configured = (env.LIGHTNING_BACKEND ?? "").trim().toLowerCase() || "simulated";
  if (configured === "simulated" || configured === "lnd" || configured === "lnbits") return configured;
  throw new LightningConfigurationError(
    "LIGHTNING_BACKEND",
    `LIGHTNING_BACKEND must be "simulated", "lnd" or "lnbits", not "${env.LIGHTNING_BACKEND}"`,
  );
}

function createLiveBackend(db: Db, env: Environment): LightningBackend {
  const name = liveBackendName(env);
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
  if (!value) throw new LightningConfigurationError(variable, `LIGHTNING_BACKEND=${backend} needs ${variable}, which is not set`);
  return value;
}
