// Payout test helpers: tenants that earn through the real API (invoice, dev wallet, verify)
// with a Lightning address on the simulated LNURL-pay server, and the ledger checks.
import { encryptSecret, newSigningSecret } from "../../lib/webhooks/secret-box";
import type { Api } from "./api";
import { tenantWithKey } from "./api";
import { paidCall } from "./payments";
import type { Db } from "../../lib/db/client";
import { createEndpoint } from "../../lib/endpoints/registry";
import type { KeyMode } from "../../lib/keys/api-keys";
import { accounts } from "../../lib/ledger/accounts";
import { accountBalanceMsat } from "../../lib/ledger/balances";

export const PRICE_SATS = 500;

/** A tenant with a test key (payouts scopes too), GET /paid at 500 sats and an address. */
export async function earningTenant(db: Db, name: string) {
  const owner = await tenantWithKey(db, {
    scopes: ["invoices:write", "payments:read", "payouts:read", "payouts:write"],
  });
  await createEndpoint(db, owner.tenant.id, { method: "GET", path: "/paid", priceSats: PRICE_SATS });
  await db.tenant.update({
    where: { id: owner.tenant.id },
    data: {
      lightningAddress: `${name}@localhost:3000`,
      lightningAddressMinSendableMsat: 1000n,
      lightningAddressMaxSendableMsat: 1_000_000_000n,
    },
  });
  // A webhook endpoint for the payout events: events are stored only for subscribed
  // tenants (lib/webhooks/publish.ts). Never delivered to here (no worker runs them).
  await db.webhookEndpoint.create({
    data: {
      id: `we_${owner.tenant.id}`,
      tenantId: owner.tenant.id,
      mode: "test",
      url: "https://hooks.example.com/tollbooth",
      events: ["payout.succeeded", "payout.failed"],
      secretCiphertext: encryptSecret(newSigningSecret()),
    },
  });
  return owner;
}

export async function earn(app: Api, key: string, calls: number) {
  for (let i = 0; i < calls; i++) await paidCall(app, key, "GET /paid");
}

export async function balances(db: Db, tenantId: string, mode: KeyMode = "test") {
  return {
    available: await accountBalanceMsat(db, accounts.tenantAvailable(mode, tenantId)),
    pending: await accountBalanceMsat(db, accounts.tenantPendingPayout(mode, tenantId)),
  };
}

/** Every journal entry sums to zero, and so does the whole book of each mode. */
export async function ledgerBalanced(db: Db): Promise<boolean> {
  const unbalanced = await db.$queryRaw<{ n: bigint }[]>`
    SELECT COUNT(*)::bigint AS n FROM (SELECT entry_id FROM postings GROUP BY entry_id HAVING SUM(amount_msat) <> 0) x`;
  const books = await db.$queryRaw<{ n: bigint }[]>`
    SELECT COUNT(*)::bigint AS n FROM (SELECT mode FROM postings GROUP BY mode HAVING SUM(amount_msat) <> 0) x`;
  return unbalanced[0].n === 0n && books[0].n === 0n;
}

export async function outgoingPayments(db: Db): Promise<number> {
  return db.simulatedPayment.count();
}
