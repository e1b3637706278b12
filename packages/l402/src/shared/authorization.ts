/**
 * The L402 credential: `Authorization: L402 <macaroon>[,<macaroon>…]:<preimage hex>`.
 * Accepted as real clients send it: L402 or LSAT in any case, standard or URL-safe base64
 * with or without padding, hex in either case, several comma-separated macaroons (ours is
 * the one whose identifier is an L402 identifier).
 */
import { decodeBase64 } from "./base64.js";
import { bytesToHex, constantTimeEqual, hexToBytes, sha256 } from "./crypto.js";
import { L402FormatError } from "./errors.js";
import { decodeL402Identifier, type L402Identifier, PAYMENT_HASH_LENGTH } from "./l402-identifier.js";
import { readMacaroonIdentifier } from "./macaroon-identifier.js";

export type L402Scheme = "L402" | "LSAT";

export interface L402Credential {
  scheme: L402Scheme;
  /** Every macaroon as sent (base64 text, trimmed), in order. */
  macaroons: string[];
  /** 32 bytes. */
  preimage: Uint8Array;
}

export interface L402Token {
  /** The macaroon (base64 as sent) that carries the L402 identifier. */
  macaroon: string;
  identifier: L402Identifier;
}

const SCHEME = /^\s*(L402|LSAT)(?:\s+([\s\S]*?))?\s*$/i;
const PREIMAGE_HEX = /^[0-9a-fA-F]{64}$/;

/** True when the header uses the L402 or LSAT scheme at all (well-formed or not). */
export function isL402Authorization(header: string | null | undefined): boolean {
  return /^\s*(?:L402|LSAT)(?:\s|$)/i.test(header ?? "");
}

/**
 * Parses the Authorization value. Throws L402FormatError: missing_credential (absent or
 * another scheme), malformed_credential, invalid_preimage. Macaroons are only checked to be
 * base64 here; findL402Token reads them.
 */
export function parseAuthorization(header: string | null | undefined): L402Credential {
  const match = SCHEME.exec(header ?? "");
  if (!match) throw new L402FormatError("missing_credential", "no L402 or LSAT credential");
  const credential = match[2] ?? "";
  // Base64 never contains ':', so the last one separates the macaroons from the preimage.
  const colon = credential.lastIndexOf(":");
  if (colon < 0) throw new L402FormatError("malformed_credential", "expected <macaroon>:<preimage hex>");
  const preimageHex = credential.slice(colon + 1).trim();
  if (!PREIMAGE_HEX.test(preimageHex)) throw new L402FormatError("invalid_preimage", "preimage must be 64 hex characters (32 bytes)");
  const macaroons = credential
    .slice(0, colon)
    .split(",")
    .map((text) => text.trim());
  macaroons.forEach((macaroon, index) => {
    if (!macaroon || !decodeBase64(macaroon)) throw new L402FormatError("malformed_credential", `macaroon ${index} is not base64`);
  });
  return { scheme: match[1]!.toUpperCase() as L402Scheme, macaroons, preimage: hexToBytes(preimageHex) };
}

/** The first macaroon whose identifier is an L402 identifier. Throws the first macaroon's L402FormatError if none is. */
export function findL402Token(macaroons: readonly string[]): L402Token {
  // The error is built only when no macaroon fits: on the hot path one does, and an Error
  // with its stack trace is not free (~3% of a service's verification).
  let firstError: unknown;
  for (const [index, macaroon] of macaroons.entries()) {
    try {
      const bytes = decodeBase64(macaroon);
      if (!bytes) throw new L402FormatError("malformed_credential", `macaroon ${index} is not base64`);
      return { macaroon, identifier: decodeL402Identifier(readMacaroonIdentifier(bytes)) };
    } catch (error) {
      if (index === 0) firstError = error;
    }
  }
  throw firstError ?? new L402FormatError("invalid_identifier", "no macaroon");
}

/** sha256(preimage) == paymentHash, in constant time: the cheap local proof of payment. */
export function preimageMatches(preimage: Uint8Array, paymentHash: Uint8Array): boolean {
  if (preimage.length !== 32 || paymentHash.length !== PAYMENT_HASH_LENGTH) return false;
  return constantTimeEqual(sha256(preimage), paymentHash);
}

/** `L402 <macaroon>[,<macaroon>…]:<lower-case hex preimage>`; macaroons are sent as given (base64). */
export function buildAuthorization(params: {
  macaroons: string | readonly string[];
  preimage: Uint8Array | string;
  scheme?: L402Scheme;
}): string {
  const macaroons = typeof params.macaroons === "string" ? [params.macaroons] : params.macaroons;
  const preimageHex = typeof params.preimage === "string" ? params.preimage.toLowerCase() : bytesToHex(params.preimage);
  return `${params.scheme ?? "L402"} ${macaroons.join(",")}:${preimageHex}`;
}
