// Mints the L402 token for an invoice: a fresh root key, the 66-byte identifier binding
// the payment hash, and caveats for the tenant, endpoint, expiry and uses.
import { randomBytes } from "node:crypto";
import { hexToBytes, bytesToHex } from "@noble/hashes/utils.js";
import { buildCaveats } from "../l402/caveats";
import { encodeIdentifier, rootKeyIdOf } from "../l402/identifier";
import { mintMacaroon, type Macaroon } from "../l402/macaroon";
import type { EndpointRecord } from "../endpoints/registry";

export const MACAROON_LOCATION = "tollbooth";

export interface MintedToken {
  macaroon: Macaroon;
  rootKey: Uint8Array;
  rootKeyId: string;
  tokenId: string;
  validUntil: Date;
}

export function mintToken(tenantId: string, endpoint: EndpointRecord, paymentHash: string, now = Date.now()): MintedToken {
  const rootKey = randomBytes(32);
  const tokenId = randomBytes(32);
  const identifier = encodeIdentifier({ paymentHash: hexToBytes(paymentHash), tokenId });
  const validUntil = new Date(now + endpoint.tokenLifetimeSeconds * 1000);
  const caveats = buildCaveats({
    service: { name: tenantId, tier: 0 },
    tenantId,
    endpoint: { method: endpoint.method, path: endpoint.path },
    ...(endpoint.usesPerPayment > 0 ? { uses: endpoint.usesPerPayment } : {}),
    validUntil: Math.floor(validUntil.getTime() / 1000),
  });
  return {
    macaroon: mintMacaroon({ rootKey, identifier, location: MACAROON_LOCATION, caveats }),
    rootKey,
    rootKeyId: bytesToHex(rootKeyIdOf(identifier)),
    tokenId: bytesToHex(tokenId),
    validUntil,
  };
}
