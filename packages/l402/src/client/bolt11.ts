/**
 * Reads the two things a payer must know before paying a BOLT11 invoice: how much it
 * asks and which payment hash the preimage must match. The signature is not checked:
 * the wallet that pays checks it, and the amount is read from the checksummed text.
 */
import { bytesToHex } from "../shared/crypto.js";
import { decodeBech32 } from "./bech32.js";

export type Bolt11Network = "mainnet" | "testnet" | "regtest" | "signet";

export interface InvoiceTerms {
  network: Bolt11Network;
  /** null: an amountless invoice (the payer would choose). */
  amountMsat: bigint | null;
  /** Hex, 32 bytes: sha256 of the preimage the payment reveals. */
  paymentHashHex: string;
}

const NETWORK_BY_PREFIX: Readonly<Record<string, Bolt11Network>> = {
  bc: "mainnet",
  tb: "testnet",
  bcrt: "regtest",
  tbs: "signet",
};

// Longer prefixes first in the alternation so "lnbcrt1..." is regtest, not mainnet; the amount
// starts with a non-zero digit (BOLT11 forbids leading zeros), so the split is never ambiguous.
const HRP = /^ln(bcrt|tbs|bc|tb)(?:([1-9][0-9]*)([munp]?))?$/;

const MSAT_PER_BTC = 100_000_000_000n;
const MSAT_PER_MULTIPLIER: Readonly<Record<string, bigint>> = {
  "": MSAT_PER_BTC,
  m: MSAT_PER_BTC / 1_000n,
  u: MSAT_PER_BTC / 1_000_000n,
  n: MSAT_PER_BTC / 1_000_000_000n,
};
// One msat is ten pico-bitcoin.
const PICO_BTC_PER_MSAT = 10n;

const TIMESTAMP_WORDS = 7;
const SIGNATURE_WORDS = 104;
const TAG_PAYMENT_HASH = 1;
const PAYMENT_HASH_WORDS = 52;

/** Throws Error with the reason when the invoice cannot be read. */
export function decodeInvoiceTerms(invoice: string): InvoiceTerms {
  // Wallets and QR codes often carry the "lightning:" URI form.
  const bolt11 = invoice.trim().replace(/^lightning:/i, "");
  const { hrp, words } = decodeBech32(bolt11);
  const { network, amountMsat } = readHumanReadablePart(hrp);
  return { network, amountMsat, paymentHashHex: readPaymentHash(words) };
}

function readHumanReadablePart(hrp: string): { network: Bolt11Network; amountMsat: bigint | null } {
  const match = HRP.exec(hrp);
  if (!match) throw new Error(`not a BOLT11 invoice prefix: "${hrp}"`);
  const network = NETWORK_BY_PREFIX[match[1]!]!;
  if (match[2] === undefined) return { network, amountMsat: null };
  const value = BigInt(match[2]);
  const multiplier = match[3]!;
  if (multiplier === "p") {
    // A pico-bitcoin amount not divisible by ten is a fraction of a msat: unpayable (BOLT11).
    if (value % PICO_BTC_PER_MSAT !== 0n) throw new Error(`invoice amount ${value}p is not a whole number of millisatoshis`);
    return { network, amountMsat: value / PICO_BTC_PER_MSAT };
  }
  return { network, amountMsat: value * MSAT_PER_MULTIPLIER[multiplier]! };
}

/** Walks the tagged fields between the timestamp and the signature for the first well-formed `p`. */
function readPaymentHash(words: readonly number[]): string {
  if (words.length < TIMESTAMP_WORDS + SIGNATURE_WORDS) throw new Error("invoice is too short");
  const end = words.length - SIGNATURE_WORDS;
  let cursor = TIMESTAMP_WORDS;
  while (cursor < end) {
    if (cursor + 3 > end) throw new Error("invoice has a truncated tagged field");
    const tag = words[cursor]!;
    const length = words[cursor + 1]! * 32 + words[cursor + 2]!;
    const start = cursor + 3;
    if (start + length > end) throw new Error("invoice has a tagged field longer than the invoice");
    // BOLT11: a reader MUST skip a `p` field whose length is not 52 words.
    if (tag === TAG_PAYMENT_HASH && length === PAYMENT_HASH_WORDS) {
      return bytesToHex(wordsToBytes(words.slice(start, start + length)));
    }
    cursor = start + length;
  }
  throw new Error("invoice has no payment hash");
}

/** 5-bit words to whole bytes; the padding bits left over at the end are dropped. */
function wordsToBytes(words: readonly number[]): Uint8Array {
  const bytes = new Uint8Array(Math.floor((words.length * 5) / 8));
  let accumulator = 0;
  let bitCount = 0;
  let index = 0;
  for (const word of words) {
    accumulator = ((accumulator << 5) | word) & 0xfff; // never more than 7 + 5 bits pending
    bitCount += 5;
    if (bitCount >= 8 && index < bytes.length) {
      bitCount -= 8;
      bytes[index++] = (accumulator >> bitCount) & 0xff;
    }
  }
  return bytes;
}
