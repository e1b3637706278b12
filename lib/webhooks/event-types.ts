// The event types an endpoint can subscribe to. Its own module (no server imports) so the
// dashboard's client components can list them.
export const WEBHOOK_EVENT_TYPES = [
  "payment.settled",
  "payment.failed_call",
  "payout.succeeded",
  "payout.failed",
  "balance.low",
  "key.expiring",
] as const;

export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];
