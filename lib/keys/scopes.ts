import { z } from "zod";

export const API_SCOPES = [
  "invoices:write",
  "stats:read",
  "payments:read",
  "endpoints:write",
  "webhooks:write",
  "payouts:read",
  "payouts:write",
] as const;
export type ApiScope = (typeof API_SCOPES)[number];
/** What a new key gets unless told otherwise: everything but starting payouts, which moves
 *  money (only ever to the owner's own address, but a key in a server should not need it). */
export const DEFAULT_API_SCOPES: readonly ApiScope[] = API_SCOPES.filter((scope) => scope !== "payouts:write");
export const scopeSchema = z.enum(API_SCOPES);
