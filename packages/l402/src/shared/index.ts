// What the server middleware and the payer client share: header formats and crypto.
// (encodeBase64Url, encodeL402Identifier, buildChallenge and the whole macaroon format in
// macaroon.ts are for servers that mint tokens: they are the "./protocol" entry, not part
// of the server entry, to keep it small.)
export { decodeBase64, encodeBase64 } from "./base64.js";
export { bytesToHex, constantTimeEqual, hexToBytes, hmacSha256, sha256 } from "./crypto.js";
export { L402FormatError, type L402FormatErrorCode } from "./errors.js";
export { readMacaroonIdentifier } from "./macaroon-identifier.js";
export { decodeL402Identifier, L402_IDENTIFIER_LENGTH, type L402Identifier } from "./l402-identifier.js";
export {
  buildAuthorization,
  findL402Token,
  parseAuthorization,
  preimageMatches,
  type L402Credential,
  type L402Scheme,
  type L402Token,
} from "./authorization.js";
export { parseChallenge, type L402Challenge } from "./challenge.js";
