/**
 * The one error type of lib/l402. Every failure caused by untrusted input
 * (a header, a macaroon, an identifier, a caveat) carries a stable `code`
 * that the service can put in its JSON reason next to the fresh challenge.
 */
export type L402ErrorCode =
  /** No L402/LSAT credential in the Authorization header (absent, empty or another scheme). */
  | "missing_credential"
  /** The credential is not `<scheme> <base64 macaroon>[,<more>]:<hex preimage>`. */
  | "malformed_credential"
  /** The preimage is not exactly 32 bytes of hex. */
  | "invalid_preimage"
  /** The bytes are not a V2 binary macaroon we accept (third-party caveats included). */
  | "malformed_macaroon"
  /** The macaroon identifier is not `uint16be 0 || payment_hash[32] || token_id[32]`. */
  | "invalid_identifier"
  /** A WWW-Authenticate value without an L402/LSAT challenge carrying a macaroon and an invoice. */
  | "malformed_challenge"
  /** A caveat that is not `key=value`, or whose value does not parse for its key. */
  | "malformed_caveat"
  /** A repeated caveat that widens an earlier one (see caveats.ts). */
  | "caveat_widens"
  /** Bad input from our own code (e.g. a 31-byte payment hash): a bug, not an attack. */
  | "invalid_argument";

export class L402Error extends Error {
  readonly code: L402ErrorCode;

  constructor(code: L402ErrorCode, message: string) {
    super(message);
    this.name = "L402Error";
    this.code = code;
  }
}

export function isL402Error(value: unknown): value is L402Error {
  return value instanceof L402Error;
}
