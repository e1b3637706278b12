import { z } from "zod";

export const API_SCOPES = ["invoices:write", "stats:read", "payments:read", "endpoints:write", "webhooks:write"] as const;
export type ApiScope = (typeof API_SCOPES)[number];
export const scopeSchema = z.enum(API_SCOPES);
