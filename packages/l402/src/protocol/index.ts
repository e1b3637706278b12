/**
 * @tollbooth/l402/protocol: the whole L402 wire protocol, for servers that mint and check
 * tokens (the Tollbooth service imports it; the middleware needs only the part in the
 * main entry). V2 macaroons and their signatures, the 66-byte identifier, base64 as L402
 * uses it, the challenge and the Authorization credential. Pure JS, no Node built-ins.
 */
export { decodeBase64, encodeBase64, encodeBase64Url } from "../shared/base64.js";
export {
  bytesToHex,
  constantTimeEqual,
  hexToBytes,
  hmacSha256,
  sha256,
  type HmacSha256,
} from "../shared/crypto.js";
export { randomBytes } from "../shared/random.js";
export { L402FormatError, type L402FormatErrorCode } from "../shared/errors.js";
export {
  decodeL402Identifier,
  encodeL402Identifier,
  L402_IDENTIFIER_LENGTH,
  L402_IDENTIFIER_VERSION,
  PAYMENT_HASH_LENGTH,
  TOKEN_ID_LENGTH,
  type L402Identifier,
} from "../shared/l402-identifier.js";
export {
  addCaveats,
  decodeMacaroon,
  encodeMacaroon,
  findL402Macaroon,
  macaroonFromBase64,
  macaroonToBase64,
  mintMacaroon,
  useHmacSha256,
  verifyMacaroonSignature,
  type Macaroon,
} from "../shared/macaroon.js";
export {
  buildAuthorization,
  findL402Token,
  isL402Authorization,
  parseAuthorization,
  preimageMatches,
  type L402Credential,
  type L402Scheme,
  type L402Token,
} from "../shared/authorization.js";
export { buildChallenge, parseChallenge, type L402Challenge } from "../shared/challenge.js";
