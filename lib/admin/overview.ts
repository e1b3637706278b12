// The console's overview, per mode: volume and fee revenue (all time and per day, from the
// stats rollups), what the platform owes its tenants (every tenant's available + pending
// payout liability, from the ledger) and the Lightning holdings the ledger says it has.
// The backend's actual balance is the reconciliation's (lib/reconciliation), not read here.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Prisma } from "../db/generated/client";
import type { Db } from "../db/client";
import type { KeyMode } from "../keys/api-keys";
import { accountBalanceMsat } from "../ledger/balances";
import { accounts } from "../ledger/accounts";
import { queryRows } from "../stats/sql";

export interface PlatformInfo {
  name: string;
  version: string;
  publicUrl: string | null;
}

let version: string | undefined;

export function platformInfo(): PlatformInfo {
  if (version === undefined) {
    try {
      version = String(JSON.parse(readFileSync(join(process.cwd(), "package.json"), "utf8")).version ?? "unknown");
    } catch {
      version = process.env.npm_package_version ?? "unknown";
    }
  }
  return {
    name: process.env.PLATFORM_NAME ?? "Tollbooth",
    version,
    publicUrl: process.env.PUBLIC_URL ?? process.env.NEXTAUTH_URL ?? null,
  };
}

export interface AdminDay {
  day: string;
  payments: number;
  volumeMsat: string;
  feeMsat: string;
}

export interface AdminOverview {
  mode: KeyMode;
  payments: number;
  volumeMsat: string;
  feeMsat: string;
  /** Tenants' available balances plus their pending payouts: what the platform owes. */
  owedToTenantsMsat: string;
  /** The part of it set aside for payouts in progress. */
  pendingPayoutsMsat: string;
  /** The ledger's platform Lightning account (asset). */
  lightningHoldingsMsat: string;
  /** Holdings minus what is owed: the platform's own share (fees not yet taken out). */
  holdingsSurplusMsat: string;
  tenants: number;
  suspendedTenants: number;
  byDay: AdminDay[];
}

interface TotalsRow {
  payments: number;
  volume_msat: string;
  fee_msat: string;
  owed_msat: string;
  pending_msat: string;
  tenants: number;
  suspended: number;
}

export async function getAdminOverview(db: Db, mode: KeyMode, days = 90, now = new Date()): Promise<AdminOverview> {
  const since = new Date(now.getTime() - days * 86_400_000).toISOString().slice(0, 10);
  const [[totals], byDay, holdings] = await Promise.all([
    queryRows<TotalsRow>(
      db,
      Prisma.sql`SELECT
        COALESCE((SELECT SUM(payments) FROM stats_daily WHERE mode = ${mode}::"KeyMode"), 0)::int AS payments,
        COALESCE((SELECT SUM(amount_msat) FROM stats_daily WHERE mode = ${mode}::"KeyMode"), 0)::text AS volume_msat,
        COALESCE((SELECT SUM(fee_msat) FROM stats_daily WHERE mode = ${mode}::"KeyMode"), 0)::text AS fee_msat,
        COALESCE(-(SELECT SUM(p.amount_msat) FROM postings p JOIN ledger_accounts a ON a.id = p.account_id AND a.mode = p.mode
          WHERE p.mode = ${mode}::"KeyMode" AND a.type = 'liability' AND a.tenant_id IS NOT NULL), 0)::text AS owed_msat,
        COALESCE(-(SELECT SUM(p.amount_msat) FROM postings p JOIN ledger_accounts a ON a.id = p.account_id AND a.mode = p.mode
          WHERE p.mode = ${mode}::"KeyMode" AND a.type = 'liability' AND a.tenant_id IS NOT NULL AND a.id LIKE '%:pending_payout'), 0)::text AS pending_msat,
        (SELECT COUNT(*) FROM tenants)::int AS tenants,
        (SELECT COUNT(*) FROM tenants WHERE suspended_at IS NOT NULL)::int AS suspended`,
    ),
    queryRows<{ day: string; payments: number; volume_msat: string; fee_msat: string }>(
      db,
      Prisma.sql`SELECT to_char(day, 'YYYY-MM-DD') AS day, SUM(payments)::int AS payments,
          SUM(amount_msat)::text AS volume_msat, SUM(fee_msat)::text AS fee_msat
        FROM stats_daily WHERE mode = ${mode}::"KeyMode" AND day >= ${since}::date
        GROUP BY day ORDER BY day`,
    ),
    accountBalanceMsat(db, accounts.platformLightning(mode)),
  ]);
  return {
    mode,
    payments: totals.payments,
    volumeMsat: totals.volume_msat,
    feeMsat: totals.fee_msat,
    owedToTenantsMsat: totals.owed_msat,
    pendingPayoutsMsat: totals.pending_msat,
    lightningHoldingsMsat: holdings.toString(),
    holdingsSurplusMsat: (holdings - BigInt(totals.owed_msat)).toString(),
    tenants: totals.tenants,
    suspendedTenants: totals.suspended,
    byDay: byDay.map((d) => ({ day: d.day, payments: d.payments, volumeMsat: d.volume_msat, feeMsat: d.fee_msat })),
  };
}
