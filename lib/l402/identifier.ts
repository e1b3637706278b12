/**
 * The L402 macaroon identifier, byte-compatible with Aperture and lnget:
 *
 *   uint16 big-endian version (0) || payment_hash[32] || token_id[32]   = 66 bytes
 *
 * The payment hash ties the token to one invoice; the random token id makes
 * two tokens for the same invoice distinct.
 */
import { randomBytes, sha256 } from "./crypto";
import { L402Error } from "./errors";

export const L402_IDENTIFIER_VERSION = 0;
export const L402_IDENTIFIER_LENGTH = 66;
export const PAYMENT_HASH_LENGTH = 32;
export const TOKEN_ID_LENGTH = 32;

export interface L402Identifier {
  version: typeof L402_IDENTIFIER_VERSION;
  paymentHash: Uint8Array;
  tokenId: Uint8Array;
}

export function encodeIdentifier(fields: { paymentHash: Uint8Array; tokenId: Uint8Array }): Uint8Array {
  const { paymentHash, tokenId } = fields;
  if (paymentHash.length !== PAYMENT_HASH_LENGTH) {
    throw new L402Error("invalid_argument", `payment hash must be ${PAYMENT_HASH_LENGTH} bytes, got ${paymentHash.length}`);
  }
  if (tokenId.length !== TOKEN_ID_LENGTH) {
    throw new L402Error("invalid_argument", `token id must be ${TOKEN_ID_LENGTH} bytes, got ${tokenId.length}`);
  }
  const identifier = new Uint8Array(L402_IDENTIFIER_LENGTH);
  // Bytes 0..1 stay zero: version 0, big-endian.
  identifier.set(paymentHash, 2);
  identifier.set(tokenId, 2 + PAYMENT_HASH_LENGTH);
  return identifier;
}

/** Throws L402Error("invalid_identifier") unless the bytes are a version-0, 66-byte identifier. */
export function decodeIdentifier(identifier: Uint8Array): L402Identifier {
  if (identifier.length < 2) {
    throw new L402Error("invalid_identifier", `identifier too short to hold a version (${identifier.length} bytes)`);
  }
  const version = (identifier[0]! << 8) | identifier[1]!;
  // Check the version before the length: a future version may well have another length.
  if (version !== L402_IDENTIFIER_VERSION) {
    throw new L402Error("invalid_identifier", `unsupported identifier version ${version}, want ${L402_IDENTIFIER_VERSION}`);
  }
  if (identifier.length !== L402_IDENTIFIER_LENGTH) {
    throw new L402Error("invalid_identifier", `identifier must be ${L402_IDENTIFIER_LENGTH} bytes, got ${identifier.length}`);
  }
  return {
    version: L402_IDENTIFIER_VERSION,
    paymentHash: identifier.slice(2, 2 + PAYMENT_HASH_LENGTH),
    tokenId: identifier.slice(2 + PAYMENT_HASH_LENGTH),
  };
}

/** A fresh random token id. */
export function newTokenId(): Uint8Array {
  return randomBytes(TOKEN_ID_LENGTH);
}

/**
 * The key a token's root key is stored under: sha256(identifier) (design.md).
 * Hashing means the store never holds the identifier itself.
 */
export function rootKeyIdOf(identifier: Uint8Array): Uint8Array {
  return sha256(identifier);
}
