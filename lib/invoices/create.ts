// POST /api/v1/invoices: an invoice from the key's Lightning backend plus the L402 token
// that its preimage unlocks, stored together.
import type { Db } from "../db/client";
import type { AuthenticatedKey } from "../keys/api-keys";
import { resolveEndpoint, type EndpointRecord } from "../endpoints/registry";
import { buildChallenge, macaroonToBase64 } from "../l402/headers";
import { lightningBackendFor } from "../lightning/select";
import { mintToken } from "./mint";

export interface InvoiceRequest {
  endpointId?: string;
  method?: string;
  path?: string;
  priceSats?: number;
  description?: string;
}

export interface IssuedInvoice {
  paymentHash: string;
  invoice: string;
  macaroon: string;
  amountSats: number;
  expiresAt: string;
  challenge: string;
  endpoint: string;
}

// An invoice lives as long as the payer needs to pay it, not as long as the token.
const INVOICE_EXPIRY_SECONDS = Number(process.env.INVOICE_EXPIRY_SECONDS ?? 600);

export async function createInvoice(db: Db, key: AuthenticatedKey, request: InvoiceRequest): Promise<IssuedInvoice> {
  const endpoint = await resolveEndpoint(db, key.tenantId, request);
  return issueInvoice(db, key, endpoint, request.description);
}

export async function issueInvoice(db: Db, key: AuthenticatedKey, endpoint: EndpointRecord, description?: string): Promise<IssuedInvoice> {
  const backend = lightningBackendFor(key.mode, db);
  const amountMsat = BigInt(endpoint.priceSats) * 1000n;
  const memo = description ?? endpoint.description ?? `${endpoint.method} ${endpoint.path}`;
  const created = await backend.createInvoice({ amountMsat, description: memo.slice(0, 500), expirySeconds: INVOICE_EXPIRY_SECONDS });
  const token = mintToken(key.tenantId, endpoint, created.paymentHash);
  const label = `${endpoint.method} ${endpoint.path}`;

  // Invoice and token in one statement: one round trip on the hot path.
  await db.$executeRaw`
    WITH invoice AS (
      INSERT INTO invoices (payment_hash, tenant_id, endpoint_id, api_key_id, mode, backend, bolt11, amount_msat, description, state, expires_at)
      VALUES (${created.paymentHash}, ${key.tenantId}, ${endpoint.id}, ${key.id}, ${key.mode}::"KeyMode", ${backend.name}, ${created.bolt11}, ${amountMsat}, ${memo}, 'pending', ${created.expiresAt})
    )
    INSERT INTO l402_tokens (root_key_id, token_id, payment_hash, root_key, tenant_id, endpoint_id, endpoint_label, uses_allowed, valid_until)
    VALUES (${token.rootKeyId}, ${token.tokenId}, ${created.paymentHash}, ${Buffer.from(token.rootKey)}, ${key.tenantId}, ${endpoint.id}, ${label}, ${endpoint.usesPerPayment}, ${token.validUntil})`;

  const challenge = buildChallenge({ macaroon: token.macaroon, invoice: created.bolt11 });
  return {
    paymentHash: created.paymentHash,
    invoice: created.bolt11,
    macaroon: macaroonToBase64(token.macaroon),
    amountSats: endpoint.priceSats,
    expiresAt: created.expiresAt.toISOString(),
    challenge,
    endpoint: label,
  };
}
