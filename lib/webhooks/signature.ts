// The Tollbooth-Signature header (design.md, "API conventions"): t=<unix>,v1=<hex HMAC-SHA256
// (secret, t + "." + raw body)>. During a secret rotation's grace period both secrets sign,
// as Stripe does: one v1= per secret, the receiver accepts either (verifyWebhook in
// @tollbooth/l402 checks every v1= value).
import { createHmac } from "node:crypto";

export const SIGNATURE_HEADER = "Tollbooth-Signature";

export function signatureHeader(rawBody: string, secrets: readonly string[], timestamp = Math.floor(Date.now() / 1000)): string {
  const t = String(timestamp);
  const signatures = secrets.map((secret) => `v1=${createHmac("sha256", secret).update(`${t}.${rawBody}`).digest("hex")}`);
  return [`t=${t}`, ...signatures].join(",");
}
