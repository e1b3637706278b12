// How webhook endpoints and deliveries look in the API (never the secret, except the one
// answer that creates or rotates it).
import { z } from "@hono/zod-openapi";

export const WebhookEndpointSchema = z
  .object({
    id: z.string().openapi({ example: "we_3f2a…" }),
    url: z.string(),
    description: z.string().nullable(),
    events: z.array(z.string()),
    mode: z.enum(["test", "live"]),
    enabled: z.boolean(),
    disabledReason: z.string().nullable(),
    failingSince: z.string().nullable(),
    previousSecretExpiresAt: z.string().nullable().openapi({ description: "Until then the old secret also signs (a second v1=)" }),
    createdAt: z.string(),
  })
  .openapi("WebhookEndpoint");

export const WebhookDeliverySchema = z
  .object({
    id: z.string(),
    eventId: z.string(),
    eventType: z.string(),
    state: z.enum(["pending", "succeeded", "failed", "retrying"]),
    attempts: z.number().int(),
    lastStatus: z.number().int().nullable(),
    lastError: z.string().nullable(),
    nextAttemptAt: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi("WebhookDelivery");

const iso = (d: Date | null) => d?.toISOString() ?? null;

export function shapeEndpoint(e: {
  id: string;
  url: string;
  description: string | null;
  events: string[];
  mode: "test" | "live";
  enabled: boolean;
  disabledReason: string | null;
  failingSince: Date | null;
  previousSecretExpiresAt: Date | null;
  createdAt: Date;
}) {
  return {
    id: e.id,
    url: e.url,
    description: e.description,
    events: e.events,
    mode: e.mode,
    enabled: e.enabled,
    disabledReason: e.disabledReason,
    failingSince: iso(e.failingSince),
    previousSecretExpiresAt: iso(e.previousSecretExpiresAt),
    createdAt: e.createdAt.toISOString(),
  };
}

export function shapeDelivery(d: {
  id: string;
  state: "pending" | "succeeded" | "failed" | "retrying";
  attempts: number;
  lastStatus: number | null;
  lastError: string | null;
  nextAttemptAt: Date | null;
  createdAt: Date;
  event: { id: string; type: string };
}) {
  return {
    id: d.id,
    eventId: d.event.id,
    eventType: d.event.type,
    state: d.state,
    attempts: d.attempts,
    lastStatus: d.lastStatus,
    lastError: d.lastError,
    nextAttemptAt: iso(d.nextAttemptAt),
    createdAt: d.createdAt.toISOString(),
  };
}
