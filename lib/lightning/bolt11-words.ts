/**
 * Bech32 5-bit word helpers for BOLT11. @scure/base's `bech32.toWords` covers
 * bytes -> words; these cover the BOLT11-specific parts: big-endian integers in
 * words, and words -> bytes with zero padding (what the signature is computed over).
 */

/** Big-endian 5-bit words of a non-negative integer, using the fewest words (at least `minWords`). */
export function intToWords(value: number | bigint, minWords = 1): number[] {
  let rest = BigInt(value);
  if (rest < 0n) throw new RangeError(`cannot encode negative value ${value}`);
  const words: number[] = [];
  while (rest > 0n) {
    words.unshift(Number(rest & 31n));
    rest >>= 5n;
  }
  while (words.length < minWords) words.unshift(0);
  return words;
}

/** Reads big-endian 5-bit words as an integer. */
export function wordsToBigInt(words: readonly number[]): bigint {
  let value = 0n;
  for (const word of words) value = (value << 5n) | BigInt(word);
  return value;
}

/** Same as wordsToBigInt, for fields that must fit a JS number (timestamps, expiries, CLTV deltas). */
export function wordsToSafeInteger(words: readonly number[]): number {
  const value = wordsToBigInt(words);
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError("invoice field too large");
  return Number(value);
}

/**
 * Packs 5-bit words into bytes, appending zero bits up to the next byte boundary.
 * This is exactly the "data part with 0 bits appended to pad to the next byte boundary"
 * that BOLT11 signs; @scure/base's fromWords refuses input whose padding is 5+ bits.
 */
export function wordsToBytesZeroPadded(words: readonly number[]): Uint8Array {
  const bytes = new Uint8Array(Math.ceil((words.length * 5) / 8));
  let accumulator = 0;
  let bitCount = 0;
  let index = 0;
  for (const word of words) {
    accumulator = ((accumulator << 5) | word) & 0xfff; // 12 bits is enough: we never hold more than 7 + 5
    bitCount += 5;
    if (bitCount >= 8) {
      bitCount -= 8;
      bytes[index++] = (accumulator >> bitCount) & 0xff;
    }
  }
  if (bitCount > 0) bytes[index] = (accumulator << (8 - bitCount)) & 0xff;
  return bytes;
}

/** Bytes held in a tagged field: whole bytes only, the trailing padding bits dropped. */
export function wordsToBytesTruncated(words: readonly number[]): Uint8Array {
  return wordsToBytesZeroPadded(words).subarray(0, Math.floor((words.length * 5) / 8));
}
