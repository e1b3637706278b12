/**
 * BOLT11 invoice encoder: fields in, signed bolt11 string out.
 *
 * Tagged fields are written in a fixed order, p, d|h, s, 9, x, c, n, which is the
 * order the BOLT11 examples use; with it (and the examples' private key) this encoder
 * reproduces those example strings byte for byte (tests/unit/bolt11.test.ts).
 */

import { bech32 } from "@scure/base";
import { encodeAmount } from "./bolt11-amount";
import { FEATURE, featureBitsToWords } from "./bolt11-features";
import { INVOICE_PREFIX_BY_NETWORK, type Bolt11Network } from "./bolt11-network";
import type { Bolt11Signer } from "./bolt11-signer";
import { HASH_WORDS, MAX_FIELD_WORDS, MAX_INVOICE_LENGTH, NODE_KEY_WORDS, TAG, TIMESTAMP_WORDS } from "./bolt11-tags";
import { invoiceSigningHash } from "./bolt11-signing-hash";
import { intToWords } from "./bolt11-words";

export interface InvoiceFields {
  network: Bolt11Network;
  /** Omitted: an amountless invoice (the payer chooses, e.g. donations). */
  amountMsat?: bigint;
  /** Unix seconds when the invoice was made; expiry counts from here. */
  timestamp: number;
  /** sha256 of the preimage the payer receives on payment: 32 bytes (tag p). */
  paymentHash: Uint8Array;
  /** 32 random bytes (tag s) that stop forwarding nodes probing the payee. Modern payers require it. */
  paymentSecret?: Uint8Array;
  /** Give exactly one of description (tag d, UTF-8, at most 639 bytes) and descriptionHash. */
  description?: string;
  /** sha256 of a description carried elsewhere (tag h), e.g. LNURL-pay metadata: 32 bytes. */
  descriptionHash?: Uint8Array;
  /** Tag x; readers assume 3600 when absent. */
  expirySeconds?: number;
  /**
   * Tag c. BOLT11 says writers must include it, but its legacy examples do not, so it is
   * only written when given; readers assume 18 when absent. Our node should pass its value.
   */
  minFinalCltvExpiry?: number;
  /** Tag 9: feature bit numbers (BOLT 9), e.g. [9, 15] or FEATURE values. */
  featureBits?: readonly number[];
  /** Tag n: write the signer's node id, so payers need not recover it from the signature. */
  includePayeeNodeKey?: boolean;
}

const MAX_TIMESTAMP = 2 ** 35 - 1;

export function encodeInvoice(fields: InvoiceFields, signer: Bolt11Signer): string {
  const prefix = INVOICE_PREFIX_BY_NETWORK[fields.network] as string | undefined;
  if (prefix === undefined) throw new Error(`unknown network "${fields.network}"`);
  const hrp = prefix + (fields.amountMsat === undefined ? "" : encodeAmount(fields.amountMsat));

  const words: number[] = [...timestampWords(fields.timestamp)];
  const addField = (tag: number, data: readonly number[]) => {
    if (data.length > MAX_FIELD_WORDS) throw new RangeError(`invoice field ${tag} is too long (${data.length} words)`);
    words.push(tag, data.length >> 5, data.length & 31, ...data);
  };

  addField(TAG.paymentHash, bytes32Words(fields.paymentHash, "paymentHash"));

  if ((fields.description === undefined) === (fields.descriptionHash === undefined)) {
    throw new Error("an invoice needs exactly one of description and descriptionHash");
  }
  if (fields.description !== undefined) {
    addField(TAG.description, bech32.toWords(new TextEncoder().encode(fields.description)));
  } else {
    addField(TAG.descriptionHash, bytes32Words(fields.descriptionHash!, "descriptionHash"));
  }

  if (fields.paymentSecret !== undefined) {
    addField(TAG.paymentSecret, bytes32Words(fields.paymentSecret, "paymentSecret"));
  }

  const featureBits = fields.featureBits ?? [];
  const setsPaymentSecret = featureBits.includes(FEATURE.paymentSecretCompulsory) || featureBits.includes(FEATURE.paymentSecretOptional);
  if (setsPaymentSecret && fields.paymentSecret === undefined) {
    throw new Error("the payment_secret feature is set, so the invoice needs a paymentSecret (BOLT11)");
  }
  // An empty feature vector is omitted altogether (BOLT11).
  if (featureBits.length > 0) addField(TAG.features, featureBitsToWords(featureBits));

  if (fields.expirySeconds !== undefined) {
    addField(TAG.expiry, intToWords(nonNegativeInteger(fields.expirySeconds, "expirySeconds")));
  }
  if (fields.minFinalCltvExpiry !== undefined) {
    addField(TAG.minFinalCltvExpiry, intToWords(nonNegativeInteger(fields.minFinalCltvExpiry, "minFinalCltvExpiry")));
  }
  if (fields.includePayeeNodeKey) {
    const nodeKeyWords = bech32.toWords(signer.publicKey);
    if (nodeKeyWords.length !== NODE_KEY_WORDS) throw new Error("signer public key must be 33 bytes (compressed)");
    addField(TAG.payeeNodeKey, nodeKeyWords);
  }

  const signature = signer.signRecoverable(invoiceSigningHash(hrp, words));
  if (signature.length !== 65 || signature[64]! > 3) throw new Error("signer must return r || s || recovery id (65 bytes)");
  return bech32.encode(hrp, [...words, ...bech32.toWords(signature)], MAX_INVOICE_LENGTH);
}

function timestampWords(timestamp: number): number[] {
  if (!Number.isSafeInteger(timestamp) || timestamp < 0 || timestamp > MAX_TIMESTAMP) {
    throw new RangeError(`invoice timestamp must be whole unix seconds within 35 bits, got ${timestamp}`);
  }
  return intToWords(timestamp, TIMESTAMP_WORDS);
}

function bytes32Words(bytes: Uint8Array, name: string): number[] {
  if (!(bytes instanceof Uint8Array) || bytes.length !== 32) throw new Error(`${name} must be 32 bytes`);
  const words = bech32.toWords(bytes);
  if (words.length !== HASH_WORDS) throw new Error(`${name} must be 32 bytes`);
  return words;
}

function nonNegativeInteger(value: number, name: string): number {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${name} must be a non-negative integer, got ${value}`);
  return value;
}
