/**
 * Tollbooth webhooks are signed: `Tollbooth-Signature: t=<unix seconds>,v1=<hex>` where
 * v1 = HMAC-SHA256(secret, `${t}.${raw body}`). Several v1= values may be present (during
 * a secret rotation the service signs with both secrets); one match is enough.
 *
 * API: verifyWebhook returns the parsed event or throws WebhookVerificationError with a
 * `code`. Throwing, not returning a boolean, so an unchecked result cannot be mistaken for
 * a verified one. Verify the raw body exactly as received: re-serialised JSON would not match.
 */
import { bytesToHex, constantTimeEqual, hexToBytesOrNull, hmacSha256, utf8Bytes } from "../shared/crypto.js";

export type WebhookVerificationErrorCode =
  | "missing_signature"
  | "malformed_signature"
  | "timestamp_out_of_tolerance"
  | "signature_mismatch"
  | "invalid_payload";

export class WebhookVerificationError extends Error {
  override readonly name = "WebhookVerificationError";

  constructor(
    readonly code: WebhookVerificationErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export interface TollboothEvent<Data = Record<string, unknown>> {
  id: string;
  /** e.g. "payment.settled". */
  type: string;
  /** When the event happened (unix seconds, as the service sends it). */
  created: number;
  data: Data;
}

export const DEFAULT_WEBHOOK_TOLERANCE_SECONDS = 300;

function signedBytes(timestamp: string, rawBody: string | Uint8Array): Uint8Array {
  const prefix = utf8Bytes(`${timestamp}.`);
  const body = typeof rawBody === "string" ? utf8Bytes(rawBody) : rawBody;
  const message = new Uint8Array(prefix.length + body.length);
  message.set(prefix);
  message.set(body, prefix.length);
  return message;
}

/** The header value the service sends; for tests and for replaying events to yourself. */
export function signWebhook(rawBody: string | Uint8Array, secret: string, timestamp = Math.floor(Date.now() / 1000)): string {
  const t = String(timestamp);
  return `t=${t},v1=${bytesToHex(hmacSha256(utf8Bytes(secret), signedBytes(t, rawBody)))}`;
}

/**
 * Checks the signature and the timestamp (±toleranceSeconds, against replays), then parses
 * the body. Returns the event; throws WebhookVerificationError otherwise.
 */
export function verifyWebhook<Data = Record<string, unknown>>(
  rawBody: string | Uint8Array,
  header: string | null | undefined,
  secret: string,
  toleranceSeconds = DEFAULT_WEBHOOK_TOLERANCE_SECONDS,
): TollboothEvent<Data> {
  if (!header) throw new WebhookVerificationError("missing_signature", "no signature header");
  if (!secret) throw new TypeError("no webhook secret");
  let timestamp: string | undefined;
  const signatures: Uint8Array[] = [];
  for (const part of header.split(",")) {
    const equals = part.indexOf("=");
    if (equals < 0) continue;
    const key = part.slice(0, equals).trim();
    const value = part.slice(equals + 1).trim();
    if (key === "t") timestamp = value;
    if (key === "v1") {
      const bytes = hexToBytesOrNull(value);
      if (bytes && bytes.length === 32) signatures.push(bytes);
    }
  }
  if (!timestamp || !/^\d{1,12}$/.test(timestamp)) throw new WebhookVerificationError("malformed_signature", "no t=<unix seconds>");
  if (signatures.length === 0) throw new WebhookVerificationError("malformed_signature", "no v1=<hex>");

  const expected = hmacSha256(utf8Bytes(secret), signedBytes(timestamp, rawBody));
  // Compare against every candidate (no early exit) so timing says nothing about which matched.
  let matched = false;
  for (const signature of signatures) matched = constantTimeEqual(signature, expected) || matched;
  if (!matched) throw new WebhookVerificationError("signature_mismatch", "signature does not match");

  // Checked after the signature: an attacker cannot forge t without the secret anyway.
  const age = Math.floor(Date.now() / 1000) - Number(timestamp);
  if (Math.abs(age) > toleranceSeconds) {
    throw new WebhookVerificationError("timestamp_out_of_tolerance", `timestamp ${age} s off`);
  }

  let event: Partial<TollboothEvent<Data>>;
  try {
    event = JSON.parse(typeof rawBody === "string" ? rawBody : new TextDecoder().decode(rawBody));
  } catch {
    throw new WebhookVerificationError("invalid_payload", "body is not JSON");
  }
  if (typeof event !== "object" || event === null || typeof event.id !== "string" || typeof event.type !== "string") {
    throw new WebhookVerificationError("invalid_payload", "not an event {id, type, created, data}");
  }
  return event as TollboothEvent<Data>;
}
