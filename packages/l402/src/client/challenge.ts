/**
 * Reads every L402 challenge out of a WWW-Authenticate value. Servers differ: `L402` or the
 * older `LSAT` in any case, `macaroon=` (what Aperture and Tollbooth send) or `token=`
 * (the newer spec text, often with `version="0"`), quoted or bare values, commas between
 * parameters or not (Alby writes `version="0" token="..."`), and several challenges in
 * one header (fetch joins repeated WWW-Authenticate headers with ", ").
 * shared/challenge.ts reads only the first challenge, which is all the middleware needs;
 * a payer wants them all so it can skip one whose invoice it cannot read.
 */

import type { L402Scheme } from "../shared/authorization.js";
import { decodeBase64 } from "../shared/base64.js";
import type { L402Challenge } from "../shared/challenge.js";

export type { L402Challenge, L402Scheme };

interface RawChallenge {
  scheme: string;
  params: Map<string, string>;
}

const TOKEN = /[!#$%&'*+.^_`|~0-9A-Za-z-]+/y;
const SEPARATORS = /[\s,]*/y;
const EQUALS = /\s*=\s*/y;
const QUOTED = /"((?:[^"\\]|\\.)*)"/y;
const BARE_VALUE = /[^\s,]*/y;
// bech32: letters and digits only (a "lightning:" prefix is tolerated by the decoder, not here).
const INVOICE = /^[A-Za-z0-9]+$/;

/** Every usable L402/LSAT challenge in the header, in order; [] when there is none. */
export function parseL402Challenges(header: string | null | undefined): L402Challenge[] {
  const challenges: L402Challenge[] = [];
  for (const raw of splitChallenges(header ?? "")) {
    const challenge = toL402Challenge({
      scheme: raw.scheme,
      macaroon: raw.params.get("macaroon") ?? raw.params.get("token"),
      invoice: raw.params.get("invoice"),
      version: raw.params.get("version"),
    });
    if (challenge) challenges.push(challenge);
  }
  return challenges;
}

/** A challenge from loose parts (a header's parameters, a 402 JSON body), or null when they are not one. */
export function toL402Challenge(parts: { scheme: string; macaroon?: unknown; invoice?: unknown; version?: unknown }): L402Challenge | null {
  const scheme = parts.scheme.toUpperCase();
  if (scheme !== "L402" && scheme !== "LSAT") return null;
  const { macaroon, invoice, version } = parts;
  if (typeof macaroon !== "string" || !decodeBase64(macaroon)) return null;
  if (typeof invoice !== "string" || !INVOICE.test(invoice)) return null;
  return { scheme, macaroon, invoice, ...(typeof version === "string" ? { version } : {}) };
}

/**
 * A small RFC 9110 tokenizer: a token followed by "=" is a parameter of the current
 * challenge; any other token starts a new challenge. Parsing tokens (rather than
 * searching for "L402 ") keeps text inside quoted values, e.g. realm="L402 ...", inert.
 */
function splitChallenges(header: string): RawChallenge[] {
  const challenges: RawChallenge[] = [];
  let current: RawChallenge | undefined;
  let position = 0;
  const match = (pattern: RegExp): RegExpExecArray | null => {
    pattern.lastIndex = position;
    const found = pattern.exec(header);
    if (found) position = pattern.lastIndex;
    return found;
  };
  while (position < header.length) {
    match(SEPARATORS);
    if (position >= header.length) break;
    const token = match(TOKEN);
    if (!token) {
      position++; // a stray character (an unpaired quote, say): skip it rather than give up
      continue;
    }
    if (!match(EQUALS)) {
      current = { scheme: token[0], params: new Map() };
      challenges.push(current);
      continue;
    }
    const quoted = match(QUOTED);
    const value = quoted ? quoted[1]!.replace(/\\(.)/g, "$1") : match(BARE_VALUE)![0];
    const name = token[0].toLowerCase();
    // The first value wins when a parameter repeats, as in shared/challenge.ts's parser.
    if (current && !current.params.has(name)) current.params.set(name, value);
  }
  return challenges;
}
