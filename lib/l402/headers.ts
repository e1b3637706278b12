/**
 * L402 on the wire: the 402 challenge (WWW-Authenticate) and the credential
 * (Authorization). We send exactly what Lightning Labs' and Alby's clients parse;
 * we accept every variant real clients send (design.md, "L402 on the wire").
 */
import { bytesToHex, hexToBytes } from "@noble/hashes/utils.js";
import { decodeBase64Loose, encodeBase64 } from "./base64";
import { constantTimeEqual, sha256 } from "./crypto";
import { L402Error } from "./errors";
import { decodeIdentifier, type L402Identifier, PAYMENT_HASH_LENGTH } from "./identifier";
import { decodeMacaroon, encodeMacaroon, type Macaroon } from "./macaroon";

export type L402Scheme = "L402" | "LSAT";

export interface L402Challenge {
  scheme: L402Scheme;
  /** The base64 macaroon exactly as sent: a client echoes it back unchanged. */
  macaroon: string;
  invoice: string;
  /** From the newer spec form `L402 version="0", token="..."`, when present. */
  version?: string;
}

export interface L402Credential {
  scheme: L402Scheme;
  /** Every macaroon sent, in order; pick ours with findL402Macaroon. */
  macaroons: Macaroon[];
  /** 32 bytes. */
  preimage: Uint8Array;
}

const PREIMAGE_HEX = /^[0-9a-fA-F]{64}$/;
// A BOLT11 invoice is bech32: letters and digits only. Anything else could break out of the quotes.
const INVOICE = /^[A-Za-z0-9]+$/;

export function macaroonToBase64(macaroon: Macaroon): string {
  return encodeBase64(encodeMacaroon(macaroon));
}

/** Standard or URL-safe base64 of a V2 macaroon. Throws L402Error("malformed_macaroon"). */
export function macaroonFromBase64(text: string): Macaroon {
  const bytes = decodeBase64Loose(text.trim());
  if (!bytes) throw new L402Error("malformed_macaroon", "macaroon is not base64");
  return decodeMacaroon(bytes);
}

/** `L402 macaroon="<standard base64>", invoice="<bolt11>"`: the one form lnget, Aperture and Alby all parse. */
export function buildChallenge(params: { macaroon: Macaroon | Uint8Array; invoice: string }): string {
  if (!INVOICE.test(params.invoice)) throw new L402Error("invalid_argument", "invoice must be a bare BOLT11 string");
  const macaroonBytes = params.macaroon instanceof Uint8Array ? params.macaroon : encodeMacaroon(params.macaroon);
  return `L402 macaroon="${encodeBase64(macaroonBytes)}", invoice="${params.invoice}"`;
}

/**
 * Parses the first L402 or LSAT challenge of a WWW-Authenticate value: any case of the
 * scheme, `macaroon=` or `token=`, quoted or bare values, with or without `version="0"`,
 * commas optional between parameters (Alby writes `version="0" token="..."`).
 * Throws L402Error("malformed_challenge").
 */
export function parseChallenge(header: string): L402Challenge {
  const scheme = /(?:^|[\s,])(L402|LSAT)\s+/i.exec(header);
  if (!scheme) throw new L402Error("malformed_challenge", "no L402 or LSAT challenge");
  const params = new Map<string, string>();
  const param = /\s*,?\s*([A-Za-z0-9_-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,"]*))/y;
  param.lastIndex = scheme.index + scheme[0].length;
  // Stops at the first thing that is not a parameter, e.g. the next scheme in the same header.
  for (let match = param.exec(header); match; match = param.exec(header)) {
    const key = match[1]!.toLowerCase();
    const value = match[2] !== undefined ? match[2].replace(/\\(.)/g, "$1") : match[3]!;
    if (!params.has(key)) params.set(key, value);
  }
  const macaroon = params.get("macaroon") ?? params.get("token");
  const invoice = params.get("invoice");
  if (!macaroon || !decodeBase64Loose(macaroon)) {
    throw new L402Error("malformed_challenge", "challenge has no base64 macaroon= or token=");
  }
  if (!invoice || !INVOICE.test(invoice)) throw new L402Error("malformed_challenge", "challenge has no invoice=");
  const version = params.get("version");
  return {
    scheme: scheme[1]!.toUpperCase() as L402Scheme,
    macaroon,
    invoice,
    ...(version !== undefined ? { version } : {}),
  };
}

/** `L402 <base64>[,<base64>...]:<hex preimage>`, standard padded base64 and lower-case hex (what Aperture expects). */
export function buildAuthorization(params: {
  macaroons: Macaroon | readonly Macaroon[];
  preimage: Uint8Array;
  scheme?: L402Scheme;
}): string {
  const macaroons = Array.isArray(params.macaroons) ? params.macaroons : [params.macaroons as Macaroon];
  return `${params.scheme ?? "L402"} ${macaroons.map(macaroonToBase64).join(",")}:${bytesToHex(params.preimage)}`;
}

/**
 * Parses `Authorization: L402 <macaroon>[,<macaroon>...]:<preimage hex>`: L402 or LSAT in
 * any case, standard or URL-safe base64 with or without padding, hex in either case.
 * Throws L402Error: missing_credential (absent, or another scheme), malformed_credential,
 * invalid_preimage, malformed_macaroon.
 */
export function parseAuthorization(header: string | null | undefined): L402Credential {
  const match = /^\s*(L402|LSAT)(?:\s+([\s\S]*?))?\s*$/i.exec(header ?? "");
  if (!match) throw new L402Error("missing_credential", "no L402 or LSAT credential");
  const credential = match[2] ?? "";
  // Base64 has no ':', so the last one separates the macaroons from the preimage.
  const colon = credential.lastIndexOf(":");
  if (colon < 0) throw new L402Error("malformed_credential", "expected <macaroon>:<preimage hex>");
  const preimageHex = credential.slice(colon + 1).trim();
  if (!PREIMAGE_HEX.test(preimageHex)) {
    throw new L402Error("invalid_preimage", `preimage must be 64 hex characters (32 bytes), got ${JSON.stringify(preimageHex.slice(0, 80))}`);
  }
  const macaroons = credential.slice(0, colon).split(",").map((text, index) => {
    const bytes = decodeBase64Loose(text.trim());
    if (!bytes) throw new L402Error("malformed_credential", `macaroon ${index} is not base64`);
    try {
      return decodeMacaroon(bytes);
    } catch (error) {
      throw new L402Error("malformed_macaroon", `macaroon ${index}: ${(error as Error).message}`);
    }
  });
  return { scheme: match[1]!.toUpperCase() as L402Scheme, macaroons, preimage: hexToBytes(preimageHex) };
}

/** The first macaroon whose identifier is an L402 identifier. Throws the first L402Error("invalid_identifier") if none is. */
export function findL402Macaroon(macaroons: readonly Macaroon[]): { macaroon: Macaroon; identifier: L402Identifier } {
  // The error is built only when no macaroon fits: on the hot path there is one, and an
  // Error with its stack trace is not free (~3% of a verification).
  let firstError: unknown;
  for (const [index, macaroon] of macaroons.entries()) {
    try {
      return { macaroon, identifier: decodeIdentifier(macaroon.identifier) };
    } catch (error) {
      if (index === 0) firstError = error;
    }
  }
  throw firstError ?? new L402Error("invalid_identifier", "no macaroon");
}

/** sha256(preimage) == paymentHash, in constant time: the cheap local proof of payment. */
export function preimageMatches(preimage: Uint8Array, paymentHash: Uint8Array): boolean {
  if (preimage.length !== 32 || paymentHash.length !== PAYMENT_HASH_LENGTH) return false;
  return constantTimeEqual(sha256(preimage), paymentHash);
}
