/**
 * The L402 macaroon identifier, byte-compatible with Aperture and lnget:
 *
 *   uint16 big-endian version (0) || payment_hash[32] || token_id[32]   = 66 bytes
 *
 * The payment hash ties the token to one invoice: sha256(preimage) must equal it. The
 * random token id makes two tokens for the same invoice distinct.
 */
import { L402FormatError } from "./errors.js";

export const L402_IDENTIFIER_VERSION = 0;
export const L402_IDENTIFIER_LENGTH = 66;
export const PAYMENT_HASH_LENGTH = 32;
export const TOKEN_ID_LENGTH = 32;

export interface L402Identifier {
  version: typeof L402_IDENTIFIER_VERSION;
  paymentHash: Uint8Array;
  tokenId: Uint8Array;
}

/** Throws L402FormatError("invalid_identifier") unless the bytes are a version-0, 66-byte identifier. */
export function decodeL402Identifier(identifier: Uint8Array): L402Identifier {
  if (identifier.length < 2) throw new L402FormatError("invalid_identifier", "identifier too short");
  const version = (identifier[0]! << 8) | identifier[1]!;
  // Version before length: a future version may well have another length.
  if (version !== L402_IDENTIFIER_VERSION) throw new L402FormatError("invalid_identifier", `identifier version ${version}`);
  if (identifier.length !== L402_IDENTIFIER_LENGTH) {
    throw new L402FormatError("invalid_identifier", `identifier is ${identifier.length} bytes, not 66`);
  }
  return {
    version: L402_IDENTIFIER_VERSION,
    paymentHash: identifier.slice(2, 2 + PAYMENT_HASH_LENGTH),
    tokenId: identifier.slice(2 + PAYMENT_HASH_LENGTH),
  };
}

/** Throws L402FormatError("invalid_argument") unless the payment hash and token id are 32 bytes each. */
export function encodeL402Identifier(fields: { paymentHash: Uint8Array; tokenId: Uint8Array }): Uint8Array {
  const { paymentHash, tokenId } = fields;
  if (paymentHash.length !== PAYMENT_HASH_LENGTH)
    throw new L402FormatError("invalid_argument", `payment hash must be ${PAYMENT_HASH_LENGTH} bytes, got ${paymentHash.length}`);
  if (tokenId.length !== TOKEN_ID_LENGTH)
    throw new L402FormatError("invalid_argument", `token id must be ${TOKEN_ID_LENGTH} bytes, got ${tokenId.length}`);
  const identifier = new Uint8Array(L402_IDENTIFIER_LENGTH);
  // Bytes 0..1 stay zero: version 0, big-endian.
  identifier.set(paymentHash, 2);
  identifier.set(tokenId, 2 + PAYMENT_HASH_LENGTH);
  return identifier;
}
