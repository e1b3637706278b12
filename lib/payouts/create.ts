// Making a payout: in ONE transaction, the payout row, the ledger entry that moves its
// amount from available to pending, and its job. The tenant's row is locked first, so two
// payouts of one tenant never both spend the same balance, and a tenant has at most one
// payout in progress per mode.
import type { Db } from "../db/client";
import type { Payout, PayoutTrigger } from "../db/generated/client";
import { AppError, isUniqueViolation } from "../errors";
import { enqueue } from "../jobs/queue";
import type { KeyMode } from "../keys/api-keys";
import { accounts } from "../ledger/accounts";
import { ensureAccounts, postEntry } from "../ledger/post";
import { maxRoutingFeeMsat } from "./config";
import { payoutHoldUntil } from "./hold";
import { PAYOUT_QUEUE } from "./jobs";
import { payoutAccounts, reserveEntry } from "./ledger";

/** LNURL-pay servers widely take whole sats only: payouts are whole sats, the msat rest stays. */
const MSAT_PER_SAT = 1000n;
const DEFAULT_MIN_SENDABLE_MSAT = 1000n;

export interface CreatePayoutInput {
  tenantId: string;
  mode: KeyMode;
  trigger: PayoutTrigger;
  /** Default: the whole available balance (in whole sats, at most the address's maximum). */
  amountMsat?: bigint;
  /** Automatic payouts: only when the available balance is at least this much. */
  minimumAvailableMsat?: bigint;
  idempotencyKey?: string;
  /** sha256 of the request: the same idempotency key with another request is refused. */
  requestHash?: string;
  createdByUserId?: string;
}

export interface CreatedPayout {
  payout: Payout;
  /** False when the idempotency key named an existing payout (nothing new happened). */
  created: boolean;
}

export async function createPayout(db: Db, input: CreatePayoutInput): Promise<CreatedPayout> {
  const replay = await findReplay(db, input);
  if (replay) return replay;
  await ensureAccounts(db, payoutAccounts(input.mode, input.tenantId));
  try {
    return await db.$transaction((tx) => insertPayout(tx, input));
  } catch (error) {
    // Two requests with one idempotency key at once: the other one made it.
    if (isUniqueViolation(error) && input.idempotencyKey) {
      const raced = await findReplay(db, input);
      if (raced) return raced;
    }
    throw error;
  }
}

async function findReplay(db: Pick<Db, "payout">, input: CreatePayoutInput): Promise<CreatedPayout | null> {
  if (!input.idempotencyKey) return null;
  const existing = await db.payout.findUnique({
    where: { tenantId_mode_idempotencyKey: { tenantId: input.tenantId, mode: input.mode, idempotencyKey: input.idempotencyKey } },
  });
  if (!existing) return null;
  if (existing.requestHash !== (input.requestHash ?? null)) {
    throw new AppError(
      "invalid_request_error",
      "idempotency_key_reused",
      "This Idempotency-Key was already used with a different request. Use a new key for a new payout.",
      { status: 422 },
    );
  }
  return { payout: existing, created: false };
}

type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

async function insertPayout(tx: Tx, input: CreatePayoutInput): Promise<CreatedPayout> {
  const [tenant] = await tx.$queryRaw<
    {
      lightning_address: string | null;
      lightning_address_changed_at: Date | null;
      suspended_at: Date | null;
      min_sendable: bigint | null;
      max_sendable: bigint | null;
    }[]
  >`SELECT lightning_address, lightning_address_changed_at, suspended_at,
      lightning_address_min_sendable_msat AS min_sendable, lightning_address_max_sendable_msat AS max_sendable
    FROM tenants WHERE id = ${input.tenantId} FOR UPDATE`;
  if (!tenant) throw new AppError("not_found_error", "tenant_not_found", "No such workspace.");
  // A request with this key that held the lock before us made it: the same answer.
  const replay = await findReplay(tx, input);
  if (replay) return replay;
  if (tenant.suspended_at) {
    throw new AppError(
      "conflict_error",
      "tenant_suspended",
      "This workspace is suspended: payouts wait until the platform operator lifts it.",
    );
  }
  if (!tenant.lightning_address) {
    throw new AppError("conflict_error", "no_lightning_address", "Set a Lightning address in Settings first: payouts go there.");
  }
  const heldUntil = payoutHoldUntil({ lightningAddressChangedAt: tenant.lightning_address_changed_at });
  if (heldUntil) {
    throw new AppError(
      "conflict_error",
      "payouts_held",
      `Payouts are on hold until ${heldUntil.toISOString()}: the Lightning address changed recently.`,
    );
  }
  const inProgress = await tx.payout.findFirst({
    where: { tenantId: input.tenantId, mode: input.mode, state: { in: ["pending", "sending"] } },
    select: { id: true },
  });
  if (inProgress) {
    throw new AppError("conflict_error", "payout_in_progress", `Payout ${inProgress.id} is still in progress; wait for it to finish.`);
  }
  const available = await availableMsat(tx, input.mode, input.tenantId);
  if (input.minimumAvailableMsat !== undefined && available < input.minimumAvailableMsat) {
    throw new AppError("conflict_error", "below_threshold", "The available balance is below the payout threshold.");
  }
  const minSendable = tenant.min_sendable ?? DEFAULT_MIN_SENDABLE_MSAT;
  const amountMsat =
    input.amountMsat ?? wholeSats(tenant.max_sendable !== null && available > tenant.max_sendable ? tenant.max_sendable : available);
  if (amountMsat > available) {
    throw new AppError("invalid_request_error", "insufficient_balance", `Only ${available / MSAT_PER_SAT} sats are available.`, {
      param: "amountSats",
    });
  }
  if (amountMsat < minSendable || amountMsat <= 0n) {
    throw new AppError(
      "invalid_request_error",
      "amount_too_small",
      `${tenant.lightning_address} takes at least ${minSendable / MSAT_PER_SAT} sats; ${available / MSAT_PER_SAT} sats are available.`,
      { param: "amountSats" },
    );
  }
  if (tenant.max_sendable !== null && amountMsat > tenant.max_sendable) {
    throw new AppError(
      "invalid_request_error",
      "amount_too_large",
      `${tenant.lightning_address} takes at most ${tenant.max_sendable / MSAT_PER_SAT} sats per payment.`,
      { param: "amountSats" },
    );
  }
  const payout = await tx.payout.create({
    data: {
      tenantId: input.tenantId,
      mode: input.mode,
      trigger: input.trigger,
      amountMsat,
      maxFeeMsat: maxRoutingFeeMsat(amountMsat),
      destination: tenant.lightning_address,
      idempotencyKey: input.idempotencyKey ?? null,
      requestHash: input.requestHash ?? null,
      createdByUserId: input.createdByUserId ?? null,
    },
  });
  await postEntry(tx, reserveEntry(payout));
  await enqueue(tx, PAYOUT_QUEUE, { payoutId: payout.id });
  return { payout, created: true };
}

/** The tenant's available balance in the transaction's view (after the lock). */
async function availableMsat(tx: Tx, mode: KeyMode, tenantId: string): Promise<bigint> {
  const account = accounts.tenantAvailable(mode, tenantId);
  const [row] = await tx.$queryRaw<{ sum: bigint | null }[]>`
    SELECT -SUM(amount_msat)::bigint AS sum FROM postings WHERE account_id = ${account.id} AND mode = ${mode}::"KeyMode"`;
  return row?.sum ?? 0n;
}

function wholeSats(msat: bigint): bigint {
  return (msat / MSAT_PER_SAT) * MSAT_PER_SAT;
}
