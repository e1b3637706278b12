// POST /api/v1/l402/verify: is this credential good for this request, and redeem it once.
// Order matters for cost: parse and check the preimage locally (no I/O), then one read,
// then one atomic redemption that also settles the payment the first time.
import { createHmac } from "node:crypto";
import { bytesToHex } from "@noble/hashes/utils.js";
import { hotQuery, type Db, type HotStatement } from "../db/client";
import type { AuthenticatedKey } from "../keys/api-keys";
import { endpointForRequest, type EndpointRecord } from "../endpoints/registry";
import type { TopUp } from "./create";
import { depositAccounts } from "../prepaid/deposit";
import { reserveCall } from "../prepaid/reserve";
import { maxCostPerCallMsat } from "../prepaid/terms";
import { checkCaveats, parseCaveats } from "../l402/caveats";
import { isL402Error } from "../l402/errors";
import { findL402Macaroon, parseAuthorization, preimageMatches, useHmacSha256, verifyMacaroonSignature } from "@tollbooth/l402/protocol";
import { rootKeyIdOf } from "../l402/identifier";
import { normalizeRequestPath } from "../l402/path-pattern";
import { ensureAccounts } from "../ledger/post";
import { redeemToken, settlementAccounts } from "./settle";

export type VerifyFailureCode =
  | "malformed_credential"
  | "unpaid"
  | "unknown_token"
  | "invalid_signature"
  | "expired"
  | "revoked"
  | "used_up"
  | "wrong_endpoint"
  | "wrong_tenant"
  | "caveat_failed"
  | "insufficient_balance";

const PAY_AGAIN = {
  used_up: "This token has been used up: pay the fresh invoice to call again.",
  expired: "This token has expired: pay the fresh invoice to call again.",
} as const;

export type VerifyResult =
  // redemption: which use of the token this was (1, 2, …); the middleware quotes it to
  // give the use back when the protected handler fails (lib/invoices/release.ts).
  | {
      valid: true;
      paymentHash: string;
      amountSats: number;
      endpoint: string;
      remainingUses: number | null;
      redemption: number;
      /** Metered tokens: what this call reserved, and the balance it came from. */
      metered?: { reservedMsat: string; balanceMsat: string };
    }
  | { valid: false; code: VerifyFailureCode; message: string; topUp?: TopUp };

/** Always names the request: a token is only ever held against the call it is for. */
export interface VerifyRequest {
  authorization: string;
  method: string;
  /** The payer's raw request path (normalised here, as invoicing does). */
  path: string;
}

interface TokenRow {
  root_key: Uint8Array;
  tenant_id: string;
  endpoint_id: string | null;
  endpoint_label: string;
  uses_allowed: number;
  uses_consumed: number;
  fee_bps: number;
  /** valid_until (UTC) as milliseconds since the epoch. */
  valid_until_ms: number;
  revoked: boolean;
  /** BIGINT as text: the same value through pg and through Prisma. */
  amount_msat: string;
  state: "pending" | "paid" | "expired";
  mode: "test" | "live";
  /** A metered endpoint's token: the prepaid balance it draws on. */
  prepaid_balance_id: string | null;
}

// Runs for every verification: a prepared statement through pg (see lib/db/client.ts).
// Scoped to the key's tenant: another tenant's token is simply unknown here.
const FIND_TOKEN: HotStatement = {
  name: "tb_token_find",
  text: `SELECT t.root_key, t.tenant_id, t.endpoint_id, t.endpoint_label, t.uses_allowed, t.uses_consumed,
           (extract(epoch FROM t.valid_until) * 1000)::float8 AS valid_until_ms, t.revoked_at IS NOT NULL AS revoked,
           i.amount_msat::text AS amount_msat, i.fee_bps, i.state::text AS state, i.mode::text AS mode,
           i.prepaid_balance_id
    FROM l402_tokens t JOIN invoices i ON i.payment_hash = t.payment_hash
    WHERE t.root_key_id = $1 AND t.tenant_id = $2`,
};

// Checking a macaroon is an HMAC per caveat: on Node, node:crypto's HMAC instead of
// @tollbooth/l402's pure-JS default (same results, ~2.5x faster). create.ts does the same.
useHmacSha256((key, message) => new Uint8Array(createHmac("sha256", key).update(message).digest()));

const fail = (code: VerifyFailureCode, message: string): VerifyResult => ({ valid: false, code, message });

export async function verifyCredential(db: Db, key: AuthenticatedKey, request: VerifyRequest, now = new Date()): Promise<VerifyResult> {
  let parsed;
  try {
    const credential = parseAuthorization(request.authorization);
    parsed = { ...findL402Macaroon(credential.macaroons), preimage: credential.preimage };
  } catch (error) {
    if (isL402Error(error)) return fail("malformed_credential", error.message);
    throw error;
  }
  const { macaroon, identifier, preimage } = parsed;
  const paymentHash = bytesToHex(identifier.paymentHash);
  if (!preimageMatches(preimage, identifier.paymentHash))
    return fail("unpaid", "The preimage does not match the payment hash: pay the invoice first.");

  const rootKeyId = bytesToHex(rootKeyIdOf(macaroon.identifier));
  const rows = await hotQuery<TokenRow>(db, FIND_TOKEN, [rootKeyId, key.tenantId]);
  const token = rows[0];
  if (!token) return fail("unknown_token", "This token was not issued for your tenant, or it was deleted.");
  if (!verifyMacaroonSignature(macaroon, new Uint8Array(token.root_key)))
    return fail("invalid_signature", "The macaroon's signature is invalid.");
  if (token.mode !== key.mode) return fail("unknown_token", `This is a ${token.mode}-mode token; your key is ${key.mode}-mode.`);
  if (token.revoked) return fail("revoked", "This token was revoked.");

  // The request resolves to its endpoint exactly as invoicing resolves it (most specific
  // match): a /users/:id token never buys /users/admin when that is priced on its own.
  const method = request.method.toUpperCase();
  const path = normalizeRequestPath(request.path);
  const resolved = await endpointForRequest(db, key.tenantId, method, path);
  if (!resolved || resolved.id !== token.endpoint_id) {
    const priced = resolved
      ? `${resolved.method} ${resolved.path} is priced on its own`
      : `${method} ${path} is not an endpoint of this token`;
    return fail("wrong_endpoint", `This token is for ${token.endpoint_label}; ${priced}: pay the fresh invoice to call it.`);
  }
  const caveatCheck = checkCaveats(
    macaroon.caveats,
    { service: key.tenantId, tenantId: key.tenantId, method, path, usesSoFar: token.uses_consumed },
    now,
  );
  if (!caveatCheck.ok) {
    const { code: caveatCode, message, caveat } = caveatCheck;
    if (caveatCode === "used_up" || caveatCode === "expired") return fail(caveatCode, PAY_AGAIN[caveatCode]);
    // A caveat the holder added that we cannot honour (unknown, widening, malformed).
    const code: VerifyFailureCode = caveatCode === "wrong_endpoint" || caveatCode === "wrong_tenant" ? caveatCode : "caveat_failed";
    return fail(code, `${message} (caveat ${caveat})`);
  }

  if (token.prepaid_balance_id)
    return verifyMetered(db, token, { rootKeyId, paymentHash, balanceId: token.prepaid_balance_id }, resolved, now);

  // The preimage proves payment. Redeem (and, the first time, settle) atomically, in one
  // statement: the conditional UPDATE takes the row lock, so concurrent verifications of
  // a single-use token serialise and exactly one sees a row come back.
  const amountMsat = BigInt(token.amount_msat);
  const target = { paymentHash, tenantId: token.tenant_id, mode: token.mode, amountMsat, feeBps: token.fee_bps };
  if (token.state !== "paid") await ensureAccounts(db, settlementAccounts(token.mode, token.tenant_id));
  const usesLimit = credentialUsesLimit(token.uses_allowed, macaroon.caveats);
  const stats = { tenantId: token.tenant_id, mode: token.mode, endpoint: token.endpoint_label };
  const redeemed = await redeemToken(db, rootKeyId, now, usesLimit, stats, token.state !== "paid" ? target : undefined);
  if (!redeemed) {
    return token.valid_until_ms <= now.getTime() ? fail("expired", PAY_AGAIN.expired) : fail("used_up", PAY_AGAIN.used_up);
  }
  return {
    valid: true,
    paymentHash,
    amountSats: Number(amountMsat / 1000n),
    endpoint: token.endpoint_label,
    remainingUses: redeemed.uses_limit === 0 ? null : redeemed.uses_limit - redeemed.uses_consumed,
    redemption: redeemed.redemption,
  };
}

/** A metered token: its own statements (lib/prepaid/reserve.ts), never the fixed path's. */
async function verifyMetered(
  db: Db,
  token: TokenRow,
  ids: { rootKeyId: string; paymentHash: string; balanceId: string },
  endpoint: EndpointRecord,
  now: Date,
): Promise<VerifyResult> {
  const amountMsat = BigInt(token.amount_msat);
  if (token.state !== "paid") await ensureAccounts(db, depositAccounts(token.mode, token.tenant_id));
  const result = await reserveCall(
    db,
    { ...ids, tenantId: token.tenant_id, mode: token.mode, invoicePaid: token.state === "paid", amountMsat, feeBps: token.fee_bps },
    maxCostPerCallMsat(endpoint),
    now,
  );
  if (!result.reserved)
    return { valid: false, code: result.code, message: result.message, ...(result.topUp ? { topUp: result.topUp } : {}) };
  return {
    valid: true,
    paymentHash: ids.paymentHash,
    amountSats: Number(amountMsat / 1000n),
    endpoint: token.endpoint_label,
    remainingUses: null,
    redemption: result.redemption,
    metered: { reservedMsat: result.reservedMsat.toString(), balanceMsat: result.balanceMsat.toString() },
  };
}

/** The uses this credential may have: the token's own limit (0 = unlimited), or a smaller
 *  `uses=` caveat its holder appended (checkCaveats has already refused a widening one). */
const MAX_INT4 = 2 ** 31 - 1;

function credentialUsesLimit(usesAllowed: number, caveats: readonly string[]): number {
  const parsed = parseCaveats(caveats).uses;
  if (parsed === undefined) return usesAllowed;
  // A caveat may carry 15 digits; the limit travels as a Postgres int.
  const narrowed = Math.min(parsed, MAX_INT4);
  return usesAllowed === 0 ? narrowed : Math.min(usesAllowed, narrowed);
}
