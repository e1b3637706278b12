/**
 * The 402 challenge: `WWW-Authenticate: L402 macaroon="<base64>", invoice="<bolt11>"`.
 * We send that form (the one lnget, Aperture and Alby all parse) and read every variant:
 * L402 or LSAT in any case, `macaroon=` or `token=` (newer spec text), with or without
 * `version="0"`, quoted or bare values, commas optional, other schemes in the same header.
 */
import { decodeBase64, encodeBase64 } from "./base64.js";
import type { L402Scheme } from "./authorization.js";
import { L402FormatError } from "./errors.js";
import { encodeMacaroon, type Macaroon } from "./macaroon.js";

export interface L402Challenge {
  scheme: L402Scheme;
  /** Base64 exactly as sent: the credential echoes it back unchanged. */
  macaroon: string;
  invoice: string;
  /** From `version="0"`, when present. */
  version?: string;
}

// A BOLT11 invoice is bech32: letters and digits only. Anything else could break out of the quotes.
const INVOICE = /^[A-Za-z0-9]+$/;

/** Parses the first L402/LSAT challenge in a WWW-Authenticate value. Throws L402FormatError("malformed_challenge"). */
export function parseChallenge(header: string | null | undefined): L402Challenge {
  const text = header ?? "";
  const scheme = /(?:^|[\s,])(L402|LSAT)\s+/i.exec(text);
  if (!scheme) throw new L402FormatError("malformed_challenge", "no L402 or LSAT challenge");
  const params = new Map<string, string>();
  const param = /\s*,?\s*([A-Za-z0-9_-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,"]*))/y;
  param.lastIndex = scheme.index + scheme[0].length;
  // Stops at the first thing that is not a parameter, e.g. the next scheme in the same header.
  for (let match = param.exec(text); match; match = param.exec(text)) {
    const key = match[1]!.toLowerCase();
    const value = match[2] !== undefined ? match[2].replace(/\\(.)/g, "$1") : match[3]!;
    if (!params.has(key)) params.set(key, value);
  }
  const macaroon = params.get("macaroon") ?? params.get("token");
  const invoice = params.get("invoice");
  if (!macaroon || !decodeBase64(macaroon)) throw new L402FormatError("malformed_challenge", "challenge has no base64 macaroon= or token=");
  if (!invoice || !INVOICE.test(invoice)) throw new L402FormatError("malformed_challenge", "challenge has no invoice=");
  const version = params.get("version");
  return { scheme: scheme[1]!.toUpperCase() as L402Scheme, macaroon, invoice, ...(version !== undefined ? { version } : {}) };
}

/**
 * `L402 macaroon="<standard base64>", invoice="<bolt11>"`, in that order: the one form
 * lnget (whose pattern requires the order), Aperture and Alby all parse. The macaroon is
 * base64 text, its V2 bytes, or a Macaroon. Throws L402FormatError("invalid_argument").
 */
export function buildChallenge(params: { macaroon: string | Uint8Array | Macaroon; invoice: string }): string {
  const { macaroon } = params;
  const base64 =
    typeof macaroon === "string" ? macaroon : encodeBase64(macaroon instanceof Uint8Array ? macaroon : encodeMacaroon(macaroon));
  if (!decodeBase64(base64)) throw new L402FormatError("invalid_argument", "macaroon must be base64");
  if (!INVOICE.test(params.invoice)) throw new L402FormatError("invalid_argument", "invoice must be a bare BOLT11 string");
  return `L402 macaroon="${base64}", invoice="${params.invoice}"`;
}
