// What the stats queries return. Amounts: millisatoshis as bigint inside lib/, as decimal
// strings in PaymentRow (it goes to JSON as it is); sats as numbers (msat / 1000, so a fee of
// 300 msat is 0.3 sats: every total adds up exactly).
import type { KeyMode } from "../keys/api-keys";

export type { KeyMode };

/** The books a query reads: one tenant, one mode (test and live never mix). */
export interface Scope {
  tenantId: string;
  mode: KeyMode;
}

/** A half-open range [from, to). Stats are kept per UTC day: the overview and the funnel
 *  round from down and to up to whole days (see lib/stats/range.ts). */
export interface DateRange {
  from?: Date;
  to?: Date;
}

/** One settled payment (its settlement journal entry), as lists and exports show it. */
export interface PaymentRow {
  paymentHash: string;
  /** "GET /premium": what the token was bought for. */
  endpoint: string;
  amountSats: number;
  amountMsat: string;
  /** The platform's fee on this payment. */
  feeMsat: string;
  /** What the owner was credited: amount - fee. */
  netMsat: string;
  /** When the settlement was posted (UTC, ISO 8601). */
  settledAt: string;
  mode: KeyMode;
  /** Whether the token was redeemed at least once (false: paid, but the call never came). */
  redeemed: boolean;
  /** Paid calls whose handler failed (the use was given back). */
  failedCalls: number;
}

export interface EndpointTotals {
  count: number;
  sats: number;
}

export interface DayTotals {
  /** YYYY-MM-DD, UTC. */
  date: string;
  count: number;
  sats: number;
}

export interface OverviewStats {
  totalPayments: number;
  totalSats: number;
  platformFeeSats: number;
  netSats: number;
  /** The same totals in millisatoshis, exact (decimal strings). */
  totalMsat: string;
  platformFeeMsat: string;
  netMsat: string;
  /** The last 7 UTC days (today included) against the 7 before; independent of from/to. */
  trend: { payments7d: number; payments7dPrev: number; sats7d: number; sats7dPrev: number };
  byEndpoint: Record<string, EndpointTotals>;
  /** Days with payments in the range, oldest first. */
  byDay: DayTotals[];
  /** The 20 most recent payments (in the range), newest first. */
  recent: PaymentRow[];
}

export interface OverviewQuery extends Scope, DateRange {
  /** "Today" for the trend; tests pin it. */
  now?: Date;
}

export interface Balance {
  /** Credited to the owner and not yet paid out. */
  availableMsat: bigint;
  /** Set aside for payouts in progress. */
  pendingMsat: bigint;
  /** Paid out to the owner's Lightning address. */
  paidOutMsat: bigint;
  /** Platform fees taken from the owner's payments. */
  feesMsat: bigint;
}

export interface FunnelRow {
  endpoint: string;
  /** Invoices issued (402 challenges). */
  challenges: number;
  /** Invoices settled. */
  paid: number;
  /** Paid invoices whose token was redeemed at least once. */
  redeemed: number;
}

export interface FailedCallRow {
  paymentHash: string;
  redemption: number;
  endpoint: string;
  status: number | null;
  reason: string | null;
  createdAt: string;
}

export type PaymentStatus = "redeemed" | "unredeemed" | "failed";
export type PaymentSort = "newest" | "oldest";

export interface PaymentFilters extends Scope, DateRange {
  /** Exact payment hash, or a prefix of at least 4 hex characters. */
  paymentHash?: string;
  endpoint?: string;
  status?: PaymentStatus;
  sort?: PaymentSort;
}

export interface PaymentListQuery extends PaymentFilters {
  cursor?: string;
  limit: number;
}

export interface Page<Row> {
  data: Row[];
  hasMore: boolean;
  nextCursor: string | null;
}

export interface PostingRow {
  accountId: string;
  amountMsat: string;
}

export interface PaymentDetail {
  payment: PaymentRow;
  invoice: {
    paymentHash: string;
    bolt11: string;
    amountMsat: string;
    feeBps: number;
    description: string;
    state: string;
    backend: string;
    createdAt: string;
    expiresAt: string;
    settledAt: string | null;
    apiKeyId: string | null;
  };
  token: {
    tokenId: string;
    endpoint: string;
    usesAllowed: number;
    usesConsumed: number;
    redemptionCount: number;
    validUntil: string;
    revokedAt: string | null;
    lastRedeemedAt: string | null;
  } | null;
  ledgerEntry: { id: string; idempotencyKey: string; kind: string; createdAt: string; postings: PostingRow[] };
  failedCalls: FailedCallRow[];
}

export type BalanceMovementKind = "payment" | "payout" | "payout_returned" | "reversal" | "adjustment";

/** One movement of the owner's available balance (one journal entry touching it). */
export interface BalanceMovement {
  entryId: string;
  kind: BalanceMovementKind;
  /** The journal entry's own kind ("settlement", "payout", …). */
  entryKind: string;
  paymentHash: string | null;
  /** Signed, as the owner reads it: + credited, - debited. */
  amountMsat: string;
  /** The fee taken on this movement (payments), 0 otherwise. */
  feeMsat: string;
  /** The available balance right after this movement. */
  balanceMsat: string;
  createdAt: string;
  memo: string | null;
}
