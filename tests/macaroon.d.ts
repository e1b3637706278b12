// The `macaroon` package (a test peer) ships no types.
declare module "macaroon";
