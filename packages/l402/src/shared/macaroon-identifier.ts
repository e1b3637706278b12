/**
 * Just enough of the V2 binary macaroon format to read the identifier: the middleware
 * needs the payment hash inside it for the local preimage check, and nothing else (the
 * service checks the signature and caveats; the whole format is in macaroon.ts, which
 * reads its fields with readField below).
 *
 *   0x02  [LOCATION(1) uvarint(len) bytes]  IDENTIFIER(2) uvarint(len) bytes  EOS(0) …
 *
 * Caveats (IDENTIFIER, optional LOCATION/VID(4)) and the SIGNATURE(6) field follow; we do
 * not need to walk them.
 */
import { L402FormatError } from "./errors.js";

export const MACAROON_V2 = 2;
export const FIELD_EOS = 0;
export const FIELD_LOCATION = 1;
export const FIELD_IDENTIFIER = 2;
export const FIELD_VID = 4;
export const FIELD_SIGNATURE = 6;

export function malformed(reason: string): L402FormatError {
  return new L402FormatError("malformed_macaroon", reason);
}

/** Reads `tag || uvarint(length) || bytes` at `offset`; returns the value and the next offset. */
export function readField(bytes: Uint8Array, offset: number, tag: number): { value: Uint8Array; next: number } {
  if (bytes[offset] !== tag) throw malformed(`expected field type ${tag} at byte ${offset}`);
  let position = offset + 1;
  let length = 0;
  // Unsigned LEB128 as Go's binary.Uvarint; four groups (< 256 MiB) is far beyond any header.
  for (let shift = 0; ; shift += 7) {
    if (shift >= 28) throw malformed("varint too long");
    if (position >= bytes.length) throw malformed("truncated");
    const next = bytes[position++]!;
    length += (next & 0x7f) * 2 ** shift;
    if (next < 0x80) break;
  }
  if (length > bytes.length - position) throw malformed("field runs past the end");
  return { value: bytes.slice(position, position + length), next: position + length };
}

/** The identifier field of a V2 binary macaroon. Throws L402FormatError("malformed_macaroon"). */
export function readMacaroonIdentifier(bytes: Uint8Array): Uint8Array {
  if (bytes[0] !== MACAROON_V2) throw malformed("not a V2 binary macaroon");
  let offset = 1;
  if (bytes[offset] === FIELD_LOCATION) offset = readField(bytes, offset, FIELD_LOCATION).next;
  const identifier = readField(bytes, offset, FIELD_IDENTIFIER);
  if (bytes[identifier.next] !== FIELD_EOS) throw malformed("no end after the identifier");
  return identifier.value;
}
