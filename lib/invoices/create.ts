// POST /api/v1/invoices: an invoice from the key's Lightning backend plus the L402 token
// that its preimage unlocks, stored together.
import { createHmac } from "node:crypto";
import { hotExecute, type Db, type HotStatement } from "../db/client";
import type { AuthenticatedKey } from "../keys/api-keys";
import { resolveEndpoint, type EndpointRecord, type EndpointTarget } from "../endpoints/registry";
import type { IssuedInvoice } from "@tollbooth/l402";
export type { IssuedInvoice } from "@tollbooth/l402";
import { buildChallenge, macaroonToBase64, useHmacSha256 } from "@tollbooth/l402/protocol";
import { lightningBackendFor } from "../lightning/select";
import { simulatedInvoiceDrafter } from "../lightning/simulated";
import { platformFeeBps } from "../ledger/fee";
import { MAX_DESCRIPTION_BYTES } from "../lightning/bolt11-tags";
import { truncateUtf8 } from "../schemas/text";
import { meteredTokenTerms, newBalanceId } from "../prepaid/terms";
import { addToRollupSql, SHARD_SQL, UTC_TODAY_SQL } from "../stats/rollups";
import { mintToken } from "./mint";

// Every invoice mints a macaroon (an HMAC per caveat) and every verification checks one:
// on Node, node:crypto's HMAC instead of @tollbooth/l402's pure-JS default (same results, ~2.5x
// faster; its crypto.ts says servers may swap it in). verify.ts does the same.
useHmacSha256((key, message) => new Uint8Array(createHmac("sha256", key).update(message).digest()));

export interface InvoiceRequest extends EndpointTarget {
  description?: string;
}

// An invoice lives as long as the payer needs to pay it, not as long as the token.
const INVOICE_EXPIRY_SECONDS = Number(process.env.INVOICE_EXPIRY_SECONDS ?? 600);

// Runs for every invoice: prepared statements through pg (see lib/db/client.ts). Timestamps
// travel as ISO strings ("…Z") cast to timestamptz: the same instant whatever the session's
// TimeZone is. The challenge is counted in the stats rollup (lib/stats/rollups.ts) in the
// same statement: the funnel's "challenges issued" outlives the purge of unpaid invoices.
// A metered endpoint's deposit or top-up names its prepaid balance in one more parameter
// (`balance`): its own statements, so the fixed-price ones stay as they were.
const invoiceAndToken = (balance?: string) => `invoice AS (
      INSERT INTO invoices (payment_hash, tenant_id, endpoint_id, api_key_id, mode, backend, bolt11, amount_msat, description, state, expires_at, fee_bps${balance ? ", prepaid_balance_id" : ""})
      VALUES ($1, $2, $3, $4, $5::"KeyMode", $6, $7, $8::bigint, $9, 'pending', $10::timestamptz, $17::int${balance ? `, ${balance}::text` : ""})
    ), challenge AS (
      ${addToRollupSql(`SELECT $2::text, $5::"KeyMode", ${UTC_TODAY_SQL}, $14::text, ${SHARD_SQL}, 1, 0, 0, 0, 0, 0`)}
    )
    INSERT INTO l402_tokens (root_key_id, token_id, payment_hash, root_key, tenant_id, endpoint_id, endpoint_label, uses_allowed, valid_until)
    VALUES ($11, $12, $1, $13::bytea, $2, $3, $14, $15::int, $16::timestamptz)`;

/** Any backend: it stored the invoice already; the invoice and token rows in one statement. */
const INSERT_INVOICE_AND_TOKEN: HotStatement = { name: "tb_invoice_token_insert", text: `WITH ${invoiceAndToken()}` };
const INSERT_PREPAID_INVOICE_AND_TOKEN: HotStatement = { name: "tb_prepaid_invoice_token_insert", text: `WITH ${invoiceAndToken("$18")}` };

/** The simulated node: its own row (preimage; the columns of lib/lightning/simulated.ts's
 *  INSERT_SIMULATED_INVOICE) joins the same statement, so an invoice costs one round trip
 *  and the three rows commit together. */
const simulatedInvoiceAndToken = (name: string, balance?: string): HotStatement => ({
  name,
  text: `WITH simulated AS (
      INSERT INTO simulated_invoices (payment_hash, preimage, bolt11, amount_msat, expires_at)
      VALUES ($1, $18, $7, $8::bigint, $10::timestamptz)
    ), ${invoiceAndToken(balance)}`,
});
const INSERT_SIMULATED_INVOICE_AND_TOKEN = simulatedInvoiceAndToken("tb_simulated_invoice_token_insert");
const INSERT_SIMULATED_PREPAID_INVOICE_AND_TOKEN = simulatedInvoiceAndToken("tb_simulated_prepaid_invoice_token_insert", "$19");

export async function createInvoice(db: Db, key: AuthenticatedKey, request: InvoiceRequest): Promise<IssuedInvoice> {
  const endpoint = await resolveEndpoint(db, key.tenantId, request);
  return issueInvoice(db, key, endpoint, request.description);
}

/** A top-up of an existing prepaid balance (metered endpoints): its payment adds to it. */
export interface TopUp {
  balanceId: string;
  balanceMsat: bigint;
}

export async function issueInvoice(
  db: Db,
  key: AuthenticatedKey,
  endpointRecord: EndpointRecord,
  description?: string,
  topUp?: TopUp,
): Promise<IssuedInvoice> {
  const metered = endpointRecord.pricingMode === "metered";
  // A metered token is a key to its balance: no use limit; "never" balances outlive any lifetime.
  const endpoint = metered ? meteredTokenTerms(endpointRecord) : endpointRecord;
  const balanceId = metered ? (topUp?.balanceId ?? newBalanceId()) : undefined;
  const backend = lightningBackendFor(key.mode, db);
  const amountMsat = BigInt(endpoint.priceSats) * 1000n;
  // BOLT11 holds 639 bytes of description: cut by bytes (older rows may hold more).
  const memo = truncateUtf8(description ?? endpoint.description ?? `${endpoint.method} ${endpoint.path}`, MAX_DESCRIPTION_BYTES);
  const input = { amountMsat, description: memo, expirySeconds: INVOICE_EXPIRY_SECONDS };
  const draft = simulatedInvoiceDrafter(backend);
  const simulated = draft ? await draft(input) : undefined;
  const created = simulated ? simulated.created : await backend.createInvoice(input);
  const token = mintToken(key.tenantId, endpoint, created.paymentHash);
  const label = `${endpoint.method} ${endpoint.path}`;

  // Invoice and token (and the simulated node's row) in one statement: one round trip.
  const values: unknown[] = [
    created.paymentHash,
    key.tenantId,
    endpoint.id,
    key.id,
    key.mode,
    backend.name,
    created.bolt11,
    amountMsat.toString(),
    memo,
    created.expiresAt.toISOString(),
    token.rootKeyId,
    token.tokenId,
    Buffer.from(token.rootKey),
    label,
    endpoint.usesPerPayment,
    token.validUntil.toISOString(),
    // The fee rate is fixed here, when the invoice is issued: settlement uses this one.
    platformFeeBps(),
  ];
  if (balanceId === undefined) {
    if (simulated) await hotExecute(db, INSERT_SIMULATED_INVOICE_AND_TOKEN, [...values, simulated.preimageHex]);
    else await hotExecute(db, INSERT_INVOICE_AND_TOKEN, values);
  } else if (simulated) await hotExecute(db, INSERT_SIMULATED_PREPAID_INVOICE_AND_TOKEN, [...values, simulated.preimageHex, balanceId]);
  else await hotExecute(db, INSERT_PREPAID_INVOICE_AND_TOKEN, [...values, balanceId]);

  const challenge = buildChallenge({ macaroon: token.macaroon, invoice: created.bolt11 });
  return {
    paymentHash: created.paymentHash,
    invoice: created.bolt11,
    macaroon: macaroonToBase64(token.macaroon),
    amountSats: endpoint.priceSats,
    expiresAt: created.expiresAt.toISOString(),
    challenge,
    endpoint: label,
    ...(metered
      ? {
          prepaid: {
            kind: topUp ? ("top_up" as const) : ("deposit" as const),
            balanceMsat: (topUp?.balanceMsat ?? 0n).toString(),
            maxCostPerCallSats: endpoint.maxCostPerCallSats,
          },
        }
      : {}),
  };
}
