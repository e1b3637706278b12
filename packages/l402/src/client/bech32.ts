/**
 * A bech32 (BIP-173) decoder just big enough for BOLT11: no 90-character limit (invoices
 * are far longer), checksum verified, 5-bit words out. Private copy so the client has no
 * dependency beyond @noble/hashes.
 */

const CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
const CHECKSUM_WORDS = 6;
const GENERATOR = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];
// bech32 (not bech32m): BOLT11 predates BIP-350.
const BECH32_CONSTANT = 1;

const WORD_BY_CHAR = new Map([...CHARSET].map((char, word) => [char, word]));

export interface Bech32Decoded {
  /** Lower case. */
  hrp: string;
  /** Data words without the checksum, each 0..31. */
  words: number[];
}

/** Throws Error with the reason when the text is not valid bech32. */
export function decodeBech32(text: string): Bech32Decoded {
  if (text !== text.toLowerCase() && text !== text.toUpperCase()) throw new Error("bech32 must not mix upper and lower case");
  const lower = text.toLowerCase();
  const separator = lower.lastIndexOf("1");
  if (separator < 1) throw new Error("bech32 has no human-readable part");
  if (lower.length - separator - 1 < CHECKSUM_WORDS) throw new Error("bech32 is too short for its checksum");
  const hrp = lower.slice(0, separator);
  for (const char of hrp) {
    const code = char.charCodeAt(0);
    if (code < 33 || code > 126) throw new Error("bech32 human-readable part has an invalid character");
  }
  const words: number[] = [];
  for (const char of lower.slice(separator + 1)) {
    const word = WORD_BY_CHAR.get(char);
    if (word === undefined) throw new Error(`bech32 has an invalid character ${JSON.stringify(char)}`);
    words.push(word);
  }
  if (polymod([...expandHrp(hrp), ...words]) !== BECH32_CONSTANT) throw new Error("bech32 checksum does not match");
  return { hrp, words: words.slice(0, -CHECKSUM_WORDS) };
}

function expandHrp(hrp: string): number[] {
  const codes = [...hrp].map((char) => char.charCodeAt(0));
  return [...codes.map((code) => code >> 5), 0, ...codes.map((code) => code & 31)];
}

function polymod(values: readonly number[]): number {
  let checksum = 1;
  for (const value of values) {
    const top = checksum >>> 25;
    checksum = ((checksum & 0x1ffffff) << 5) ^ value;
    for (let bit = 0; bit < 5; bit++) {
      if ((top >>> bit) & 1) checksum ^= GENERATOR[bit]!;
    }
  }
  return checksum;
}
