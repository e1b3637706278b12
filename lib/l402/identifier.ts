/**
 * The service's side of a token's secrets (the protocol itself, identifier and macaroon
 * formats included, is @tollbooth/l402/protocol): a fresh random root key and token id per
 * token (design.md), and the key the root key is stored under.
 */
import { sha256, TOKEN_ID_LENGTH } from "@tollbooth/l402/protocol";
import { pooledRandomBytes } from "../crypto/random-pool";

export const ROOT_KEY_LENGTH = 32;

/** A fresh random root key, one per token. */
export function newRootKey(): Uint8Array {
  return new Uint8Array(pooledRandomBytes(ROOT_KEY_LENGTH));
}

/** A fresh random token id: two tokens for the same invoice stay distinct. */
export function newTokenId(): Uint8Array {
  return new Uint8Array(pooledRandomBytes(TOKEN_ID_LENGTH));
}

/**
 * The key a token's root key is stored under: sha256(identifier) (design.md).
 * Hashing means the store never holds the identifier itself.
 */
export function rootKeyIdOf(identifier: Uint8Array): Uint8Array {
  return sha256(identifier);
}
