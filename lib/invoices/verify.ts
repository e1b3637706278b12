// POST /api/v1/l402/verify: is this credential good for this request, and redeem it once.
// Order matters for cost: parse and check the preimage locally (no I/O), then one read,
// then one atomic redemption that also settles the payment the first time.
import { bytesToHex } from "@noble/hashes/utils.js";
import type { Db } from "../db/client";
import type { AuthenticatedKey } from "../keys/api-keys";
import { checkCaveats } from "../l402/caveats";
import { isL402Error } from "../l402/errors";
import { findL402Macaroon, parseAuthorization, preimageMatches } from "../l402/headers";
import { rootKeyIdOf } from "../l402/identifier";
import { verifyMacaroonSignature } from "../l402/macaroon";
import { ensureAccounts } from "../ledger/post";
import { settleInTransaction, settlementAccounts } from "./settle";

export type VerifyFailureCode =
  | "malformed_credential"
  | "unpaid"
  | "unknown_token"
  | "invalid_signature"
  | "expired"
  | "revoked"
  | "used_up"
  | "wrong_endpoint"
  | "wrong_tenant";

export type VerifyResult =
  | { valid: true; paymentHash: string; amountSats: number; endpoint: string; remainingUses: number | null }
  | { valid: false; code: VerifyFailureCode; message: string; endpointId?: string | null };

export interface VerifyRequest {
  authorization: string;
  method?: string;
  path?: string;
}

interface TokenRow {
  root_key: Buffer;
  tenant_id: string;
  endpoint_id: string | null;
  endpoint_label: string;
  uses_allowed: number;
  uses_consumed: number;
  valid_until: Date;
  revoked_at: Date | null;
  amount_msat: bigint;
  state: "pending" | "paid" | "expired";
  mode: "test" | "live";
}

const fail = (code: VerifyFailureCode, message: string, endpointId?: string | null): VerifyResult => ({ valid: false, code, message, endpointId });

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
  if (!preimageMatches(preimage, identifier.paymentHash)) return fail("unpaid", "The preimage does not match the payment hash: pay the invoice first.");

  const rootKeyId = bytesToHex(rootKeyIdOf(macaroon.identifier));
  // Scoped to the key's tenant: another tenant's token is simply unknown here.
  const rows = await db.$queryRaw<TokenRow[]>`
    SELECT t.root_key, t.tenant_id, t.endpoint_id, t.endpoint_label, t.uses_allowed, t.uses_consumed, t.valid_until, t.revoked_at,
           i.amount_msat, i.state::text AS state, i.mode::text AS mode
    FROM l402_tokens t JOIN invoices i ON i.payment_hash = t.payment_hash
    WHERE t.root_key_id = ${rootKeyId} AND t.tenant_id = ${key.tenantId}`;
  const token = rows[0];
  if (!token) return fail("unknown_token", "This token was not issued for your tenant, or it was deleted.");
  if (!verifyMacaroonSignature(macaroon, new Uint8Array(token.root_key))) return fail("invalid_signature", "The macaroon's signature is invalid.", token.endpoint_id);
  if (token.mode !== key.mode) return fail("unknown_token", `This is a ${token.mode}-mode token; your key is ${key.mode}-mode.`, token.endpoint_id);
  if (token.revoked_at) return fail("revoked", "This token was revoked.", token.endpoint_id);

  const [method, ...pathParts] = token.endpoint_label.split(" ");
  const caveatCheck = checkCaveats(macaroon.caveats, {
    service: key.tenantId,
    tenantId: key.tenantId,
    // Without a method and path from the caller there is no request to hold the
    // endpoint caveat against; the token's own endpoint stands in.
    method: request.method ?? method,
    path: request.path ?? pathParts.join(" "),
    usesSoFar: token.uses_consumed,
  }, now);
  if (!caveatCheck.ok) {
    const code: VerifyFailureCode = caveatCheck.code === "expired" || caveatCheck.code === "used_up" || caveatCheck.code === "wrong_endpoint" || caveatCheck.code === "wrong_tenant" ? caveatCheck.code : "invalid_signature";
    return fail(code, `${caveatCheck.message} (caveat ${caveatCheck.caveat})`, token.endpoint_id);
  }

  // The preimage proves payment. Redeem (and, the first time, settle) atomically: the
  // conditional UPDATE takes the row lock, so concurrent verifications of a single-use
  // token serialise and exactly one sees a row come back.
  const target = { paymentHash, tenantId: token.tenant_id, mode: token.mode, amountMsat: token.amount_msat };
  if (token.state !== "paid") await ensureAccounts(db, settlementAccounts(token.mode, token.tenant_id));
  const redeemed = await db.$transaction(async (tx) => {
    const updated = await tx.$queryRaw<{ uses_allowed: number; uses_consumed: number }[]>`
      UPDATE l402_tokens SET uses_consumed = uses_consumed + 1, last_redeemed_at = now()
      WHERE root_key_id = ${rootKeyId} AND revoked_at IS NULL AND valid_until > ${now}
        AND (uses_allowed = 0 OR uses_consumed < uses_allowed)
      RETURNING uses_allowed, uses_consumed`;
    if (updated.length === 0) return null;
    if (token.state !== "paid") await settleInTransaction(tx, target);
    return updated[0];
  });
  if (!redeemed) {
    return token.valid_until <= now
      ? fail("expired", "This token has expired.", token.endpoint_id)
      : fail("used_up", "This token has been used up: pay again.", token.endpoint_id);
  }
  return {
    valid: true,
    paymentHash,
    amountSats: Number(token.amount_msat / 1000n),
    endpoint: token.endpoint_label,
    remainingUses: redeemed.uses_allowed === 0 ? null : redeemed.uses_allowed - redeemed.uses_consumed,
  };
}
