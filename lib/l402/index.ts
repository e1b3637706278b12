/**
 * lib/l402: what of L402 is the service's own: caveats (which it mints and the policy it
 * checks them by), endpoint path patterns, root keys. The wire protocol (identifiers, V2
 * macaroons and signatures, base64, challenge and Authorization) is @tollbooth/l402's one
 * copy, re-exported here for convenience.
 */
export * from "@tollbooth/l402/protocol";
export { L402Error, isL402Error, type L402ErrorCode } from "./errors";
export { ROOT_KEY_LENGTH, newRootKey, newTokenId, rootKeyIdOf } from "./identifier";
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
export { compareSpecificity, isPathPattern, normalizeRequestPath, pathMatches, samePattern } from "./path-pattern";
