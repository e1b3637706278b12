/**
 * A small BOLT11 reader for the fields the service acts on: amount, payment hash,
 * expiry, description or its hash, network, and the payee's node key (checked against
 * the signature). It rejects bad checksums, amounts and signatures; it ignores route
 * hints, fallback addresses and unknown fields, as readers must skip what they do not use.
 */

import { secp256k1 } from "@noble/curves/secp256k1.js";
import { bytesToHex } from "@noble/hashes/utils.js";
import { bech32 } from "@scure/base";
import { decodeAmount } from "./bolt11-amount";
import { wordsToFeatureBits } from "./bolt11-features";
import { splitHumanReadablePart, type Bolt11Network } from "./bolt11-network";
import { invoiceSigningHash } from "./bolt11-signing-hash";
import {
  DEFAULT_EXPIRY_SECONDS,
  DEFAULT_MIN_FINAL_CLTV_EXPIRY,
  HASH_WORDS,
  MAX_INVOICE_LENGTH,
  NODE_KEY_WORDS,
  SIGNATURE_WORDS,
  TAG,
  TIMESTAMP_WORDS,
} from "./bolt11-tags";
import { wordsToBytesTruncated, wordsToSafeInteger } from "./bolt11-words";

export interface DecodedInvoice {
  network: Bolt11Network;
  /** null: amountless invoice. */
  amountMsat: bigint | null;
  /** Unix seconds. */
  timestamp: number;
  /** 3600 when the invoice has no x field. */
  expirySeconds: number;
  /** timestamp + expirySeconds: after this, do not pay it (BOLT11). */
  expiresAt: number;
  /** Hex, 32 bytes. */
  paymentHash: string;
  /** Hex, 32 bytes, or null when the invoice has none. */
  paymentSecret: string | null;
  /** Exactly one of description and descriptionHash is set. */
  description: string | null;
  /** Hex sha256 of the out-of-band description (LNURL-pay: of the metadata). */
  descriptionHash: string | null;
  /** 18 when the invoice has no c field. */
  minFinalCltvExpiry: number;
  /** Set feature bits, lowest first. */
  featureBits: number[];
  /** Hex 33-byte compressed key: the n field when present (and the signature verified against it), else recovered. */
  payeeNodeKey: string;
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

export function decodeInvoiceBasic(invoice: string): DecodedInvoice {
  // Accept the "lightning:" URI form people paste from wallets and QR codes.
  const bolt11 = invoice.trim().replace(/^lightning:/i, "");
  const { prefix: hrp, words } = decodeBech32(bolt11);
  const { network, amountText } = splitHumanReadablePart(hrp);
  const amountMsat = decodeAmount(amountText);

  if (words.length < TIMESTAMP_WORDS + SIGNATURE_WORDS) throw new Error("invoice is too short");
  const dataWords = words.slice(0, words.length - SIGNATURE_WORDS);
  const signature = wordsToBytesTruncated(words.slice(words.length - SIGNATURE_WORDS)); // r || s || recid

  const timestamp = wordsToSafeInteger(dataWords.slice(0, TIMESTAMP_WORDS));
  const found: {
    paymentHash?: Uint8Array;
    paymentSecret?: Uint8Array;
    description?: string;
    descriptionHash?: Uint8Array;
    expirySeconds?: number;
    minFinalCltvExpiry?: number;
    featureBits?: number[];
    payeeNodeKey?: Uint8Array;
  } = {};

  let cursor = TIMESTAMP_WORDS;
  while (cursor < dataWords.length) {
    if (cursor + 3 > dataWords.length) throw new Error("invoice has a truncated tagged field");
    const tag = dataWords[cursor]!;
    const length = dataWords[cursor + 1]! * 32 + dataWords[cursor + 2]!;
    const field = dataWords.slice(cursor + 3, cursor + 3 + length);
    if (field.length !== length) throw new Error("invoice has a truncated tagged field");
    cursor += 3 + length;

    // The first usable field of each kind wins; fixed-size fields of another length are skipped (BOLT11).
    switch (tag) {
      case TAG.paymentHash:
        if (length === HASH_WORDS) found.paymentHash ??= wordsToBytesTruncated(field);
        break;
      case TAG.paymentSecret:
        if (length === HASH_WORDS) found.paymentSecret ??= wordsToBytesTruncated(field);
        break;
      case TAG.descriptionHash:
        if (length === HASH_WORDS) found.descriptionHash ??= wordsToBytesTruncated(field);
        break;
      case TAG.payeeNodeKey:
        if (length === NODE_KEY_WORDS) found.payeeNodeKey ??= wordsToBytesTruncated(field);
        break;
      case TAG.description:
        found.description ??= utf8.decode(wordsToBytesTruncated(field));
        break;
      case TAG.expiry:
        found.expirySeconds ??= wordsToSafeInteger(field);
        break;
      case TAG.minFinalCltvExpiry:
        found.minFinalCltvExpiry ??= wordsToSafeInteger(field);
        break;
      case TAG.features:
        found.featureBits ??= wordsToFeatureBits(field);
        break;
      default:
        break; // r, f, t and unknown fields: not needed here
    }
  }

  if (!found.paymentHash) throw new Error("invoice has no payment hash");
  if (found.description === undefined && !found.descriptionHash) throw new Error("invoice has neither description nor description hash");

  const payeeNodeKey = checkSignature(hrp, dataWords, signature, found.payeeNodeKey);
  const expirySeconds = found.expirySeconds ?? DEFAULT_EXPIRY_SECONDS;
  return {
    network,
    amountMsat,
    timestamp,
    expirySeconds,
    expiresAt: timestamp + expirySeconds,
    paymentHash: bytesToHex(found.paymentHash),
    paymentSecret: found.paymentSecret ? bytesToHex(found.paymentSecret) : null,
    description: found.description ?? null,
    descriptionHash: found.descriptionHash ? bytesToHex(found.descriptionHash) : null,
    minFinalCltvExpiry: found.minFinalCltvExpiry ?? DEFAULT_MIN_FINAL_CLTV_EXPIRY,
    featureBits: found.featureBits ?? [],
    payeeNodeKey: bytesToHex(payeeNodeKey),
  };
}

/**
 * With an n field the signature must verify against it (BOLT11: use n instead of
 * recovery); without one the payee is whoever the signature recovers to.
 */
function checkSignature(hrp: string, dataWords: readonly number[], signature: Uint8Array, nodeKey: Uint8Array | undefined): Uint8Array {
  const messageHash = invoiceSigningHash(hrp, dataWords);
  const compact = signature.subarray(0, 64);
  if (nodeKey) {
    // lowS:false: BOLT11 does not require low-S, and other writers need not produce it.
    if (!secp256k1.verify(compact, messageHash, nodeKey, { prehash: false, lowS: false })) {
      throw new Error("invoice signature does not match its payee node key");
    }
    return nodeKey;
  }
  const recoveryId = signature[64]!;
  if (recoveryId > 3) throw new Error("invoice signature has an invalid recovery id");
  const recovered = new Uint8Array(65); // noble's "recovered" layout: recid || r || s
  recovered[0] = recoveryId;
  recovered.set(compact, 1);
  try {
    return secp256k1.recoverPublicKey(recovered, messageHash, { prehash: false });
  } catch (error) {
    throw new Error(`invoice signature is not recoverable: ${String(error)}`);
  }
}

/** @scure/base reports bad input as TypeError; callers get one kind of refusal (Error). */
function decodeBech32(text: string): { prefix: string; words: number[] } {
  try {
    return bech32.decode(text as `${string}1${string}`, MAX_INVOICE_LENGTH);
  } catch (error) {
    throw new Error(`not a BOLT11 invoice (${(error as Error).message})`);
  }
}
