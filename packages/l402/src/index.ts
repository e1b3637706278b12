// @tollbooth/l402: the server middleware (Express/Connect and fetch-style handlers), the
// webhook check, and the L402 header and crypto helpers the server and client share.
// The payer client is a separate entry: "@tollbooth/l402/client".
export * from "./server/index.js";
export * from "./shared/index.js";
