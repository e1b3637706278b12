/**
 * lib/l402: framework-free L402 tokens (identifiers, V2 macaroons, caveats, headers).
 * Pure JS, no node: imports, so it runs in Node and edge runtimes alike.
 */
export { L402Error, isL402Error, type L402ErrorCode } from "./errors";
export { useHmacSha256, type HmacSha256 } from "./crypto";
export {
  L402_IDENTIFIER_LENGTH,
  L402_IDENTIFIER_VERSION,
  PAYMENT_HASH_LENGTH,
  TOKEN_ID_LENGTH,
  decodeIdentifier,
  encodeIdentifier,
  newTokenId,
  rootKeyIdOf,
  type L402Identifier,
} from "./identifier";
export {
  ROOT_KEY_LENGTH,
  addCaveats,
  decodeMacaroon,
  encodeMacaroon,
  mintMacaroon,
  newRootKey,
  verifyMacaroonSignature,
  type Macaroon,
} from "./macaroon";
export {
  buildCaveats,
  checkCaveats,
  formatCaveat,
  parseCaveat,
  parseCaveats,
  type Caveat,
  type CaveatCheckResult,
  type CaveatFailureCode,
  type CaveatSet,
  type CaveatSpec,
  type Endpoint,
  type RequestContext,
  type ServiceTier,
} from "./caveats";
export {
  buildAuthorization,
  buildChallenge,
  findL402Macaroon,
  macaroonFromBase64,
  macaroonToBase64,
  parseAuthorization,
  parseChallenge,
  preimageMatches,
  type L402Challenge,
  type L402Credential,
  type L402Scheme,
} from "./headers";
export { isPathPattern, pathMatches, patternSpecificity } from "./path-pattern";
