/**
 * The errors of L402 handling in the service. Every failure caused by untrusted input (a
 * header, a macaroon, an identifier, a caveat) carries a stable `code` that the service
 * can put in its JSON reason next to the fresh challenge.
 *
 * The wire formats are @tollbooth/l402/protocol's, which throws L402FormatError; the
 * caveats (caveats.ts) are the service's own and throw L402Error. isL402Error accepts both.
 */
import { L402FormatError, type L402FormatErrorCode } from "@tollbooth/l402/protocol";

export type L402ErrorCode =
  /** From the protocol: a credential, challenge, macaroon or identifier we cannot read, or bad input from our own code. */
  | L402FormatErrorCode
  /** A caveat that is not `key=value`, or whose value does not parse for its key. */
  | "malformed_caveat"
  /** A repeated caveat that widens an earlier one (see caveats.ts). */
  | "caveat_widens";

export class L402Error extends Error {
  readonly code: L402ErrorCode;

  constructor(code: L402ErrorCode, message: string) {
    super(message);
    this.name = "L402Error";
    this.code = code;
  }
}

export function isL402Error(value: unknown): value is L402Error | L402FormatError {
  return value instanceof L402Error || value instanceof L402FormatError;
}
