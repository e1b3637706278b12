// What an owner may register: an http(s) URL (https for live endpoints in production,
// unless WEBHOOK_ALLOW_PRIVATE is set), some of the event types, a short description.
// Hosts that are plainly private (localhost, private IP literals) are refused here so the
// owner hears it at once; the real guard runs after DNS resolution at every delivery.
import { isIP } from "node:net";
import { z } from "zod";
import { isPublicIp } from "../keys/ip-allowlist";
import type { KeyMode } from "../keys/api-keys";
import { webhookPolicy } from "./config";
import { WEBHOOK_EVENT_TYPES } from "./publish";

export const eventTypesSchema = z
  .array(z.enum(WEBHOOK_EVENT_TYPES, { error: "Unknown event type." }))
  .min(1, "Choose at least one event.")
  .transform((types) => [...new Set(types)]);

export const endpointInputSchema = z.object({
  url: z.string().trim().min(1, "Enter the URL that receives events.").max(2000, "That URL is too long."),
  description: z
    .string()
    .trim()
    .max(200, "Keep the description under 200 characters.")
    .optional()
    .transform((d) => d || null),
  events: eventTypesSchema,
});

export const endpointUpdateSchema = endpointInputSchema.partial();

export const rotateSecretSchema = z.object({
  graceHours: z.coerce.number().int("Whole hours.").min(0, "0 to 168 hours.").max(168, "0 to 168 hours.").default(24),
});

export const webhookIdSchema = z.string().min(1).max(64);

/** The URL as stored, or an error message for the form. */
export function checkEndpointUrl(raw: string, mode: KeyMode, env: NodeJS.ProcessEnv = process.env): { url: string } | { error: string } {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { error: "Enter a full URL, like https://api.example.com/webhooks." };
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return { error: "Use an https:// URL." };
  if (url.username || url.password) return { error: "Leave credentials out of the URL; verify the signature instead." };
  const allowPrivate = webhookPolicy(env).allowPrivate;
  const production = env.NODE_ENV === "production";
  if (url.protocol === "http:" && mode === "live" && production && !allowPrivate) return { error: "Live endpoints must use https://." };
  const host = url.hostname.replace(/^\[|\]$/g, "").toLowerCase();
  const plainlyPrivate = host === "localhost" || host.endsWith(".localhost") || (isIP(host) !== 0 && !isPublicIp(host));
  if (plainlyPrivate && !allowPrivate) return { error: "That address is private; webhooks go to public hosts only." };
  url.hash = "";
  return { url: url.toString() };
}
