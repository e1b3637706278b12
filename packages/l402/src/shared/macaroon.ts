/**
 * V2 binary macaroons with libmacaroons signatures, first-party caveats only: what a
 * server needs to mint and check L402 tokens, and a holder to attenuate one.
 *
 * Wire format (as libmacaroons, go-macaroon and the `macaroon` npm package):
 *   0x02
 *   [LOCATION varint(len) bytes]  IDENTIFIER varint(len) bytes  EOS
 *   per caveat: IDENTIFIER varint(len) bytes  EOS
 *   EOS
 *   SIGNATURE varint(32) bytes
 * where a field is `tag || uvarint(length) || bytes` and EOS is the lone byte 0.
 *
 * Third-party caveats (a caveat with a LOCATION or VID field) are rejected on decode: an
 * L402 token never carries them, and accepting one without its discharge would silently
 * drop the restriction it stands for.
 *
 * Not part of the server entry (the middleware only reads the identifier, see
 * macaroon-identifier.ts): import it from "@tollbooth/l402/protocol".
 */
import { decodeBase64, encodeBase64 } from "./base64.js";
import { findL402Token } from "./authorization.js";
import { constantTimeEqual, hmacSha256 as nobleHmacSha256, type HmacSha256 } from "./crypto.js";
import type { L402Identifier } from "./l402-identifier.js";
import {
  FIELD_EOS,
  FIELD_IDENTIFIER,
  FIELD_LOCATION,
  FIELD_SIGNATURE,
  FIELD_VID,
  MACAROON_V2,
  malformed,
  readField,
} from "./macaroon-identifier.js";

export interface Macaroon {
  /** A hint of where the macaroon is used; not signed. "" when absent. */
  location: string;
  identifier: Uint8Array;
  /** First-party caveat predicates in order, e.g. "uses=1". UTF-8 text. */
  caveats: string[];
  /** 32 bytes, the end of the HMAC chain. */
  signature: Uint8Array;
}

const SIGNATURE_LENGTH = 32;
const utf8Encoder = /* @__PURE__ */ new TextEncoder();
// fatal: non-UTF-8 caveats are not ours; ignoreBOM: keep a leading BOM so bytes round-trip exactly.
const utf8Decoder = /* @__PURE__ */ new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
const KEY_GENERATOR = /* @__PURE__ */ utf8Encoder.encode("macaroons-key-generator");

// Checking a macaroon is an HMAC per caveat, on every paid request. On Node, node:crypto's
// HMAC is ~2.5x faster than the pure-JS default (design.md: ~241k/s vs ~96k/s), so a server
// may swap it in at start-up without this package importing node:crypto:
//
//   import { createHmac } from "node:crypto";
//   useHmacSha256((key, msg) => new Uint8Array(createHmac("sha256", key).update(msg).digest()));
//
// Both compute the same function, so swapping changes speed, never results.
let hmacSha256: HmacSha256 = nobleHmacSha256;

/** Replace the HMAC-SHA256 the macaroon signatures use (pass nothing to restore the pure-JS one). */
export function useHmacSha256(implementation?: HmacSha256): void {
  hmacSha256 = implementation ?? nobleHmacSha256;
}

/** libmacaroons: the root key is first hashed, so root keys of any length work. */
function initialSignature(rootKey: Uint8Array, identifier: Uint8Array): Uint8Array {
  return hmacSha256(hmacSha256(KEY_GENERATOR, rootKey), identifier);
}

function chainCaveats(signature: Uint8Array, caveats: readonly string[]): Uint8Array {
  let current = signature;
  for (const caveat of caveats) current = hmacSha256(current, utf8Encoder.encode(caveat));
  return current;
}

/** A macaroon signed with `rootKey` (the HMAC chain over the identifier and caveats). */
export function mintMacaroon(params: {
  rootKey: Uint8Array;
  identifier: Uint8Array;
  location?: string;
  caveats?: readonly string[];
}): Macaroon {
  const caveats = [...(params.caveats ?? [])];
  return {
    location: params.location ?? "",
    identifier: params.identifier.slice(),
    caveats,
    signature: chainCaveats(initialSignature(params.rootKey, params.identifier), caveats),
  };
}

/** Attenuate: anyone holding a macaroon can add caveats without the root key. Returns a new macaroon. */
export function addCaveats(macaroon: Macaroon, caveats: readonly string[]): Macaroon {
  return { ...macaroon, caveats: [...macaroon.caveats, ...caveats], signature: chainCaveats(macaroon.signature, caveats) };
}

/** True when the signature is the HMAC chain of this root key over the identifier and caveats. Caveats are not evaluated. */
export function verifyMacaroonSignature(macaroon: Macaroon, rootKey: Uint8Array): boolean {
  const expected = chainCaveats(initialSignature(rootKey, macaroon.identifier), macaroon.caveats);
  return constantTimeEqual(expected, macaroon.signature);
}

export function encodeMacaroon(macaroon: Macaroon): Uint8Array {
  const parts: Uint8Array[] = [Uint8Array.of(MACAROON_V2)];
  if (macaroon.location !== "") parts.push(field(FIELD_LOCATION, utf8Encoder.encode(macaroon.location)));
  parts.push(field(FIELD_IDENTIFIER, macaroon.identifier), Uint8Array.of(FIELD_EOS));
  for (const caveat of macaroon.caveats) parts.push(field(FIELD_IDENTIFIER, utf8Encoder.encode(caveat)), Uint8Array.of(FIELD_EOS));
  parts.push(Uint8Array.of(FIELD_EOS), field(FIELD_SIGNATURE, macaroon.signature));
  return concat(parts);
}

/** Throws L402FormatError("malformed_macaroon") with the reason. */
export function decodeMacaroon(bytes: Uint8Array): Macaroon {
  if (bytes[0] !== MACAROON_V2) {
    throw malformed(`unsupported macaroon format: first byte ${bytes[0] ?? "missing"}, want ${MACAROON_V2} (V2 binary)`);
  }
  const reader = { offset: 1 };
  const next = (tag: number) => {
    if (reader.offset >= bytes.length) throw malformed("unexpected end of data");
    const read = readField(bytes, reader.offset, tag);
    reader.offset = read.next;
    return read.value;
  };
  const expectEos = () => {
    if (bytes[reader.offset] !== FIELD_EOS)
      throw malformed(
        reader.offset >= bytes.length
          ? "unexpected end of data"
          : `expected end of section at byte ${reader.offset}, got field type ${bytes[reader.offset]}`,
      );
    reader.offset++;
  };
  const location = bytes[reader.offset] === FIELD_LOCATION ? text(next(FIELD_LOCATION), "location") : "";
  const identifier = next(FIELD_IDENTIFIER);
  expectEos();
  const caveats: string[] = [];
  while (bytes[reader.offset] !== FIELD_EOS) {
    if (bytes[reader.offset] === FIELD_LOCATION)
      throw malformed(`caveat ${caveats.length} has a location: third-party caveats are not supported`);
    const caveat = next(FIELD_IDENTIFIER);
    if (bytes[reader.offset] === FIELD_VID)
      throw malformed(`caveat ${caveats.length} has a verification id: third-party caveats are not supported`);
    expectEos();
    caveats.push(text(caveat, `caveat ${caveats.length}`));
  }
  expectEos();
  const signature = next(FIELD_SIGNATURE);
  if (signature.length !== SIGNATURE_LENGTH) throw malformed(`signature must be ${SIGNATURE_LENGTH} bytes, got ${signature.length}`);
  if (reader.offset !== bytes.length) throw malformed("unexpected bytes after the signature");
  return { location, identifier, caveats, signature };
}

/** Standard padded base64 of the V2 bytes: what every L402 client decodes. */
export function macaroonToBase64(macaroon: Macaroon): string {
  return encodeBase64(encodeMacaroon(macaroon));
}

/** Standard or URL-safe base64 of a V2 macaroon. Throws L402FormatError("malformed_macaroon"). */
export function macaroonFromBase64(text: string): Macaroon {
  const bytes = decodeBase64(text.trim());
  if (!bytes) throw malformed("macaroon is not base64");
  return decodeMacaroon(bytes);
}

/**
 * The first macaroon (base64, as parseAuthorization gives them) whose identifier is an L402
 * identifier (found as findL402Token finds it), decoded whole for checking its signature
 * and caveats. Throws L402FormatError.
 */
export function findL402Macaroon(macaroons: readonly string[]): { macaroon: Macaroon; identifier: L402Identifier } {
  const token = findL402Token(macaroons);
  return { macaroon: macaroonFromBase64(token.macaroon), identifier: token.identifier };
}

function text(bytes: Uint8Array, what: string): string {
  try {
    return utf8Decoder.decode(bytes);
  } catch {
    throw malformed(`${what} is not UTF-8 text`);
  }
}

/** `tag || uvarint(length) || data`; the varint is unsigned LEB128, as Go's binary.PutUvarint. */
function field(tag: number, data: Uint8Array): Uint8Array {
  const header = [tag];
  let length = data.length;
  while (length >= 0x80) {
    header.push((length & 0x7f) | 0x80);
    length >>>= 7;
  }
  header.push(length);
  return concat([Uint8Array.from(header), data]);
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((total, part) => total + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
