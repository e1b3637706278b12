// A payer token's status, as the owner reads it (Routstr's): one SQL expression so lists
// filter and sort by it, and the same order of precedence everywhere.
export const PAYER_TOKEN_STATUSES = ["active", "low", "used_up", "expired", "disabled"] as const;
export type PayerTokenStatus = (typeof PAYER_TOKEN_STATUSES)[number];

export const STATUS_LABELS: Record<PayerTokenStatus, string> = {
  active: "Active",
  low: "Low",
  used_up: "Used up",
  expired: "Expired",
  disabled: "Disabled",
};

/** SQL over prepaid_balances `b`: disabled, then expired, then used up, then low. */
export const STATUS_SQL = `CASE
    WHEN b.disabled_at IS NOT NULL THEN 'disabled'
    WHEN b.expired_at IS NOT NULL OR b.expires_at <= now() THEN 'expired'
    WHEN b.available_msat + b.reserved_msat = 0 THEN 'used_up'
    WHEN b.available_msat + b.reserved_msat < b.low_balance_msat THEN 'low'
    ELSE 'active' END`;

/** "pb_3f9a…c41e": enough to recognise a token in a list, never the whole id in a table. */
export function maskTokenId(id: string): string {
  return id.length <= 12 ? id : `${id.slice(0, 5)}…${id.slice(-4)}`;
}
