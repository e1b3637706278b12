// Ledger account ids say what they hold; mode keeps test money and real money apart.
import type { KeyMode } from "../keys/api-keys";

export type AccountType = "asset" | "liability" | "revenue" | "expense";

export interface AccountRef {
  id: string;
  type: AccountType;
  mode: KeyMode;
  tenantId?: string;
}

export const accounts = {
  /** Sats the platform holds on its Lightning node (asset). */
  platformLightning: (mode: KeyMode): AccountRef => ({ id: `${mode}:platform:lightning`, type: "asset", mode }),
  /** The platform's fee income (revenue). */
  platformFees: (mode: KeyMode): AccountRef => ({ id: `${mode}:platform:fees`, type: "revenue", mode }),
  /** Routing fees paid on payouts (expense). */
  routingFees: (mode: KeyMode): AccountRef => ({ id: `${mode}:platform:routing_fees`, type: "expense", mode }),
  /** What the platform owes a tenant and can pay out now (liability). */
  tenantAvailable: (mode: KeyMode, tenantId: string): AccountRef => ({
    id: `${mode}:tenant:${tenantId}:available`,
    type: "liability",
    mode,
    tenantId,
  }),
  /** Deferred revenue: payers' prepaid balances on the tenant's metered endpoints, owed to
   *  the payers until spent (liability). A settled charge moves it to tenantAvailable. */
  tenantPrepaid: (mode: KeyMode, tenantId: string): AccountRef => ({
    id: `${mode}:tenant:${tenantId}:prepaid`,
    type: "liability",
    mode,
    tenantId,
  }),
  /** Set aside for a payout in progress (liability). */
  tenantPendingPayout: (mode: KeyMode, tenantId: string): AccountRef => ({
    id: `${mode}:tenant:${tenantId}:pending_payout`,
    type: "liability",
    mode,
    tenantId,
  }),
};

/** Postings are debit-positive. Liabilities and revenue grow with credits, so their
 *  "balance" as a person reads it is the negated sum. */
export function naturalBalance(type: AccountType, sumMsat: bigint): bigint {
  return type === "asset" || type === "expense" ? sumMsat : -sumMsat;
}
