// Mints the L402 token for an invoice: a fresh root key, the 66-byte identifier binding
// the payment hash, and caveats for the tenant, endpoint, expiry and uses.
import { bytesToHex, encodeL402Identifier, hexToBytes, mintMacaroon, type Macaroon } from "@tollbooth/l402/protocol";
import { buildCaveats } from "../l402/caveats";
import { newRootKey, newTokenId, rootKeyIdOf } from "../l402/identifier";
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
  const rootKey = newRootKey();
  const tokenId = newTokenId();
  const identifier = encodeL402Identifier({ paymentHash: hexToBytes(paymentHash), tokenId });
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
