// The operator API token (ADMIN_API_TOKEN): read from the environment once, kept only as its
// SHA-256 (the variable is removed from process.env after reading), and compared with a
// presented token by hashing that too and comparing the two digests in constant time, so
// neither the token's length nor a matching prefix shows in the timing.
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/** Shorter tokens are refused: an operator token must not be guessable. */
export const MIN_OPERATOR_TOKEN_LENGTH = 32;

let tokenHash: Buffer | null | undefined;

/** A new operator token (`npm run tollbooth -- admin:token`): 32 random bytes. */
export function generateOperatorToken(): string {
  return `tbop_${randomBytes(32).toString("base64url")}`;
}

const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest();

function configuredHash(): Buffer | null {
  if (tokenHash !== undefined) return tokenHash;
  const token = process.env.ADMIN_API_TOKEN?.trim();
  delete process.env.ADMIN_API_TOKEN;
  if (token && token.length < MIN_OPERATOR_TOKEN_LENGTH) {
    console.error(`[admin] ADMIN_API_TOKEN is shorter than ${MIN_OPERATOR_TOKEN_LENGTH} characters: the operator API stays closed.`);
  }
  tokenHash = token && token.length >= MIN_OPERATOR_TOKEN_LENGTH ? sha256(token) : null;
  return tokenHash;
}

/** Whether an operator token is configured at all. */
export function operatorTokenConfigured(): boolean {
  return configuredHash() !== null;
}

export function operatorTokenMatches(presented: string | undefined): boolean {
  const expected = configuredHash();
  if (!expected || !presented) return false;
  return timingSafeEqual(sha256(presented), expected);
}

/** Tests: forget the hash so the next check reads ADMIN_API_TOKEN again. */
export function resetOperatorToken(): void {
  tokenHash = undefined;
}
