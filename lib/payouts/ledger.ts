// A payout's journal entries. Two-phase: the amount moves from available to pending when
// the payout is made; then either pending → sent (the Lightning asset goes down by the
// amount plus the routing fee, which is the platform's expense, its own posting) or
// pending → available (voided). One idempotency key per step: `payout:<id>`,
// `payout:<id>:sent`, `payout:<id>:void`.
import type { KeyMode } from "../keys/api-keys";
import { accounts, type AccountRef } from "../ledger/accounts";
import type { EntryInput } from "../ledger/post";

interface PayoutRef {
  id: string;
  tenantId: string;
  mode: KeyMode;
  amountMsat: bigint;
  destination: string;
}

export function payoutAccounts(mode: KeyMode, tenantId: string): AccountRef[] {
  return [
    accounts.tenantAvailable(mode, tenantId),
    accounts.tenantPendingPayout(mode, tenantId),
    accounts.platformLightning(mode),
    accounts.routingFees(mode),
  ];
}

export function reserveEntry(payout: PayoutRef): EntryInput {
  return {
    idempotencyKey: `payout:${payout.id}`,
    kind: "payout",
    mode: payout.mode,
    tenantId: payout.tenantId,
    memo: `Payout to ${payout.destination}`,
    postings: [
      { account: accounts.tenantAvailable(payout.mode, payout.tenantId), amountMsat: payout.amountMsat },
      { account: accounts.tenantPendingPayout(payout.mode, payout.tenantId), amountMsat: -payout.amountMsat },
    ],
  };
}

export function sentEntry(payout: PayoutRef, feeMsat: bigint): EntryInput {
  const postings = [
    { account: accounts.tenantPendingPayout(payout.mode, payout.tenantId), amountMsat: payout.amountMsat },
    { account: accounts.platformLightning(payout.mode), amountMsat: -(payout.amountMsat + feeMsat) },
  ];
  if (feeMsat > 0n) postings.push({ account: accounts.routingFees(payout.mode), amountMsat: feeMsat });
  return {
    idempotencyKey: `payout:${payout.id}:sent`,
    kind: "payout_sent",
    mode: payout.mode,
    tenantId: payout.tenantId,
    memo: `Payout to ${payout.destination} sent`,
    postings,
  };
}

export function voidEntry(payout: PayoutRef): EntryInput {
  return {
    idempotencyKey: `payout:${payout.id}:void`,
    kind: "payout_void",
    mode: payout.mode,
    tenantId: payout.tenantId,
    memo: `Payout to ${payout.destination} failed: returned`,
    postings: [
      { account: accounts.tenantPendingPayout(payout.mode, payout.tenantId), amountMsat: payout.amountMsat },
      { account: accounts.tenantAvailable(payout.mode, payout.tenantId), amountMsat: -payout.amountMsat },
    ],
  };
}
