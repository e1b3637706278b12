// Reconciliation: per mode, the ledger's Lightning holdings (the platform:lightning asset)
// against (1) what the Lightning backend says it holds and (2) the money that came in and
// went out by the records: settled invoices minus succeeded payouts and their routing
// fees. Every run is stored (reconciliation_runs), differences with it. The ledger and the
// records are read in one snapshot, so they agree unless something is wrong; the backend is
// asked apart and can be seconds ahead (a payment the node has seen before the watcher
// settles it, a payout on its way): the operator is alerted only when the same difference
// is found twice in a row (lib/reconciliation/alert.ts).
import type { Db } from "../db/client";
import type { ReconciliationRun } from "../db/generated/client";
import type { KeyMode } from "../keys/api-keys";
import type { LightningBackend } from "../lightning/backend";
import { lightningBackendFor } from "../lightning/select";
import { accounts } from "../ledger/accounts";
import { accountBalanceMsat } from "../ledger/balances";

export const RECONCILIATION_QUEUE = "reconciliation";

export interface ReconcileOptions {
  trigger?: "scheduled" | "manual";
  modes?: KeyMode[];
  /** Default: the backend that serves the mode now (lib/lightning/select.ts). */
  backendFor?: (mode: KeyMode) => LightningBackend;
  env?: Readonly<Record<string, string | undefined>>;
}

export async function runReconciliation(db: Db, options: ReconcileOptions = {}): Promise<ReconciliationRun[]> {
  const runs: ReconciliationRun[] = [];
  for (const mode of options.modes ?? (["test", "live"] as const)) runs.push(await reconcileMode(db, mode, options));
  return runs;
}

async function reconcileMode(db: Db, mode: KeyMode, options: ReconcileOptions): Promise<ReconciliationRun> {
  const env = options.env ?? process.env;
  // One snapshot for both: a settlement or payout committing between two separate reads
  // would show as a difference that is not there.
  const { ledgerMsat, flowMsat } = await db.$transaction(
    async (tx) => ({
      ledgerMsat: await accountBalanceMsat(tx, accounts.platformLightning(mode)),
      flowMsat: await recordedFlowMsat(tx, mode),
    }),
    { isolationLevel: "RepeatableRead" },
  );
  let backendName = "unknown";
  let backendBalanceMsat: bigint | null = null;
  let backendError: string | null = null;
  try {
    const backend = options.backendFor ? options.backendFor(mode) : lightningBackendFor(mode, db, env);
    backendName = backend.name;
    // Live: the node's own funds that were never the ledger's (opening liquidity, say).
    const offset = mode === "live" ? BigInt(env.LIGHTNING_BALANCE_OFFSET_MSAT?.trim() || "0") : 0n;
    backendBalanceMsat = (await backend.balanceMsat()) - offset;
  } catch (error) {
    backendError = (error instanceof Error ? error.message : String(error)).slice(0, 500);
  }
  const backendDifferenceMsat = backendBalanceMsat === null ? null : backendBalanceMsat - ledgerMsat;
  const flowDifferenceMsat = flowMsat - ledgerMsat;
  return db.reconciliationRun.create({
    data: {
      mode,
      trigger: options.trigger ?? "scheduled",
      backend: backendName,
      ledgerLightningMsat: ledgerMsat,
      backendBalanceMsat,
      backendError,
      flowMsat,
      backendDifferenceMsat,
      flowDifferenceMsat,
      matched: flowDifferenceMsat === 0n && (backendDifferenceMsat ?? 0n) === 0n,
    },
  });
}

/** Settled invoices in, succeeded payouts and their routing fees out. */
async function recordedFlowMsat(db: Pick<Db, "$queryRaw">, mode: KeyMode): Promise<bigint> {
  const [row] = await db.$queryRaw<{ incoming: bigint | null; outgoing: bigint | null }[]>`
    SELECT
      (SELECT SUM(amount_msat) FROM invoices WHERE mode = ${mode}::"KeyMode" AND state = 'paid')::bigint AS incoming,
      (SELECT SUM(amount_msat + COALESCE(fee_msat, 0)) FROM payouts WHERE mode = ${mode}::"KeyMode" AND state = 'succeeded')::bigint AS outgoing`;
  return (row?.incoming ?? 0n) - (row?.outgoing ?? 0n);
}
