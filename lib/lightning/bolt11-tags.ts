/**
 * BOLT11 tagged-field type codes (the 5-bit `type` of each tagged field), and the
 * field lengths in words that readers must insist on for the fixed-size fields.
 */
export const TAG = {
  paymentHash: 1, // p
  routeHint: 3, // r
  features: 5, // 9
  expiry: 6, // x
  fallbackAddress: 9, // f
  description: 13, // d
  paymentSecret: 16, // s
  payeeNodeKey: 19, // n
  descriptionHash: 23, // h
  minFinalCltvExpiry: 24, // c
} as const;

/** 256 bits in 5-bit words, rounded up (p, s, h). */
export const HASH_WORDS = 52;
/** A 33-byte compressed public key in 5-bit words (n). */
export const NODE_KEY_WORDS = 53;
/** The timestamp is 35 bits: 7 words. */
export const TIMESTAMP_WORDS = 7;
/** 64-byte r||s plus the recovery id byte: 520 bits, 104 words. */
export const SIGNATURE_WORDS = 104;
/** data_length is 10 bits. */
export const MAX_FIELD_WORDS = 1023;
/** The description (d) is UTF-8 in one field: 1023 words of 5 bits hold 639 whole bytes. */
export const MAX_DESCRIPTION_BYTES = Math.floor((MAX_FIELD_WORDS * 5) / 8);

/** Readers assume these when the field is absent (BOLT11). */
export const DEFAULT_EXPIRY_SECONDS = 3600;
export const DEFAULT_MIN_FINAL_CLTV_EXPIRY = 18;

/**
 * Longest bolt11 string we read or write: the largest QR code (version 40, alphanumeric).
 * BIP-173's 90-character limit does not apply to invoices; this bound just keeps
 * hostile input from costing much.
 */
export const MAX_INVOICE_LENGTH = 7089;
