export { l402, type NextFunctionLike, type NodeL402Options, type NodeRequestLike, type NodeResponseLike } from "./express.js";
export { type FetchL402Options, getL402, withL402 } from "./with-l402.js";
export { l402WellKnown, WELL_KNOWN_PATH, wellKnownResponse } from "./well-known.js";
export { signWebhook, verifyWebhook, WebhookVerificationError, type TollboothEvent, type WebhookVerificationErrorCode } from "./webhook.js";
export type { L402Options, L402Payment, PriceRequest, UnavailablePolicy } from "./options.js";
export { BALANCE_HEADER } from "./metered.js";
export type { L402Logger } from "./redact.js";
export { ServiceError, type ServiceErrorKind } from "./service-client.js";
export type { DiscoveryDocument, IssuedInvoice, PrepaidTerms } from "./service-types.js";
