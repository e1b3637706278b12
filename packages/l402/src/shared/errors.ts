/**
 * Why a header could not be read. Messages never quote the header: it holds the payer's
 * macaroon and preimage, and messages end up in logs.
 */
export type L402FormatErrorCode =
  /** No `L402`/`LSAT` credential at all (absent, or another scheme such as Bearer). */
  | "missing_credential"
  /** `L402 …` but not `<macaroon>:<preimage>`, or a macaroon that is not base64. */
  | "malformed_credential"
  /** The preimage is not 64 hex characters. */
  | "invalid_preimage"
  /** A macaroon that is not a V2 binary macaroon. */
  | "malformed_macaroon"
  /** No macaroon carries a 66-byte, version-0 L402 identifier. */
  | "invalid_identifier"
  /** A WWW-Authenticate value without a readable L402/LSAT challenge. */
  | "malformed_challenge"
  /** Bad input from the caller's own code (a 31-byte payment hash, say): a bug, not an attack. */
  | "invalid_argument";

export class L402FormatError extends Error {
  override readonly name = "L402FormatError";

  constructor(
    readonly code: L402FormatErrorCode,
    message: string,
  ) {
    super(message);
  }
}
