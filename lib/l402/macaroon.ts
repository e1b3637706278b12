/**
 * V2 binary macaroons with libmacaroons signatures, first-party caveats only.
 *
 * Wire format (as libmacaroons, go-macaroon and the `macaroon` npm package):
 *   0x02
 *   [LOCATION varint(len) bytes]  IDENTIFIER varint(len) bytes  EOS
 *   per caveat: IDENTIFIER varint(len) bytes  EOS
 *   EOS
 *   SIGNATURE varint(32) bytes
 * where a field is `tag || uvarint(length) || bytes` and EOS is the lone byte 0.
 *
 * Third-party caveats (a caveat with a LOCATION or VID field) are rejected on
 * decode: we never mint them, and accepting one without its discharge would
 * silently drop the restriction it stands for.
 */
import { concatBytes } from "@noble/hashes/utils.js";
import { constantTimeEqual, hmacSha256, randomBytes } from "./crypto";
import { L402Error } from "./errors";

export interface Macaroon {
  /** A hint of where the macaroon is used; not signed. "" when absent. */
  location: string;
  identifier: Uint8Array;
  /** First-party caveat predicates in order, e.g. "uses=1". UTF-8 text. */
  caveats: string[];
  /** 32 bytes, the end of the HMAC chain. */
  signature: Uint8Array;
}

const VERSION_2 = 2;
const FIELD_EOS = 0;
const FIELD_LOCATION = 1;
const FIELD_IDENTIFIER = 2;
const FIELD_VID = 4;
const FIELD_SIGNATURE = 6;
const SIGNATURE_LENGTH = 32;
export const ROOT_KEY_LENGTH = 32;

const utf8Encoder = new TextEncoder();
// fatal: non-UTF-8 caveats are not ours; ignoreBOM: keep a leading BOM so bytes round-trip exactly.
const utf8Decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
const KEY_GENERATOR = utf8Encoder.encode("macaroons-key-generator");

/** A fresh random root key, one per token (design.md). */
export function newRootKey(): Uint8Array {
  return randomBytes(ROOT_KEY_LENGTH);
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
  return {
    ...macaroon,
    caveats: [...macaroon.caveats, ...caveats],
    signature: chainCaveats(macaroon.signature, caveats),
  };
}

/** True when the signature is the HMAC chain of this root key over the identifier and caveats. Caveats are not evaluated. */
export function verifyMacaroonSignature(macaroon: Macaroon, rootKey: Uint8Array): boolean {
  const expected = chainCaveats(initialSignature(rootKey, macaroon.identifier), macaroon.caveats);
  return constantTimeEqual(expected, macaroon.signature);
}

export function encodeMacaroon(macaroon: Macaroon): Uint8Array {
  const parts: Uint8Array[] = [Uint8Array.of(VERSION_2)];
  if (macaroon.location !== "") parts.push(field(FIELD_LOCATION, utf8Encoder.encode(macaroon.location)));
  parts.push(field(FIELD_IDENTIFIER, macaroon.identifier), EOS);
  for (const caveat of macaroon.caveats) parts.push(field(FIELD_IDENTIFIER, utf8Encoder.encode(caveat)), EOS);
  parts.push(EOS, field(FIELD_SIGNATURE, macaroon.signature));
  return concatBytes(...parts);
}

/** Throws L402Error("malformed_macaroon") with the reason. */
export function decodeMacaroon(bytes: Uint8Array): Macaroon {
  const input = new ByteReader(bytes);
  const version = input.byte();
  if (version !== VERSION_2) {
    throw malformed(`unsupported macaroon format: first byte ${version}, want ${VERSION_2} (V2 binary)`);
  }
  const location = input.peek() === FIELD_LOCATION ? text(input.field(FIELD_LOCATION), "location") : "";
  const identifier = input.field(FIELD_IDENTIFIER);
  input.expectEos();
  const caveats: string[] = [];
  while (input.peek() !== FIELD_EOS) {
    if (input.peek() === FIELD_LOCATION) {
      throw malformed(`caveat ${caveats.length} has a location: third-party caveats are not supported`);
    }
    const caveat = input.field(FIELD_IDENTIFIER);
    if (input.peek() === FIELD_VID) {
      throw malformed(`caveat ${caveats.length} has a verification id: third-party caveats are not supported`);
    }
    input.expectEos();
    caveats.push(text(caveat, `caveat ${caveats.length}`));
  }
  input.expectEos();
  const signature = input.field(FIELD_SIGNATURE);
  if (signature.length !== SIGNATURE_LENGTH) {
    throw malformed(`signature must be ${SIGNATURE_LENGTH} bytes, got ${signature.length}`);
  }
  if (!input.atEnd()) throw malformed("unexpected bytes after the signature");
  return { location, identifier, caveats, signature };
}

function malformed(reason: string): L402Error {
  return new L402Error("malformed_macaroon", reason);
}

function text(bytes: Uint8Array, what: string): string {
  try {
    return utf8Decoder.decode(bytes);
  } catch {
    throw malformed(`${what} is not UTF-8 text`);
  }
}

const EOS = Uint8Array.of(FIELD_EOS);

/** `tag || uvarint(length) || data`; the varint is unsigned LEB128, as Go's binary.PutUvarint. */
function field(tag: number, data: Uint8Array): Uint8Array {
  const header = [tag];
  let length = data.length;
  while (length >= 0x80) {
    header.push((length & 0x7f) | 0x80);
    length >>>= 7;
  }
  header.push(length);
  return concatBytes(Uint8Array.from(header), data);
}

class ByteReader {
  private offset = 0;

  constructor(private readonly data: Uint8Array) {}

  atEnd(): boolean {
    return this.offset === this.data.length;
  }

  peek(): number {
    if (this.atEnd()) throw malformed("unexpected end of data");
    return this.data[this.offset]!;
  }

  byte(): number {
    const value = this.peek();
    this.offset++;
    return value;
  }

  expectEos(): void {
    const tag = this.byte();
    if (tag !== FIELD_EOS) throw malformed(`expected end of section at byte ${this.offset - 1}, got field type ${tag}`);
  }

  field(tag: number): Uint8Array {
    const got = this.byte();
    if (got !== tag) throw malformed(`expected field type ${tag} at byte ${this.offset - 1}, got ${got}`);
    const length = this.uvarint();
    if (length > this.data.length - this.offset) throw malformed(`field of ${length} bytes runs past the end of data`);
    const value = this.data.slice(this.offset, this.offset + length);
    this.offset += length;
    return value;
  }

  private uvarint(): number {
    let value = 0;
    // Four 7-bit groups (< 256 MiB) is far more than any header can carry; more is an attack or garbage.
    for (let shift = 0; shift < 28; shift += 7) {
      const next = this.byte();
      value += (next & 0x7f) * 2 ** shift;
      if (next < 0x80) return value;
    }
    throw malformed("field length varint too long");
  }
}
