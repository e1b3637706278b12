// The Ctrl/⌘+K palette's search: payments by the first characters of their hash, endpoints
// by method, path or description, keys by name or prefix. Always one tenant and one mode
// (endpoints belong to both modes); a few hits of each kind, newest first.
import { z } from "zod";
import type { Db } from "../db/client";
import { parseInput } from "../errors";
import type { KeyMode } from "../keys/api-keys";

export const searchQuerySchema = z.object({ q: z.string().trim().min(1, "Type something to search for.").max(100) });

const HITS_PER_KIND = 5;

export interface PaymentHit {
  paymentHash: string;
  endpoint: string | null;
  amountMsat: string;
  settledAt: string | null;
}
export interface EndpointHit {
  id: string;
  method: string;
  path: string;
  priceSats: number;
  enabled: boolean;
}
export interface KeyHit {
  id: string;
  name: string;
  prefix: string;
  lastFour: string;
  revoked: boolean;
}
export interface SearchResults {
  payments: PaymentHit[];
  endpoints: EndpointHit[];
  keys: KeyHit[];
}

const escapeLike = (text: string) => text.replace(/[\\%_]/g, "\\$&");

export async function searchDashboard(db: Db, scope: { tenantId: string; mode: KeyMode }, input: unknown): Promise<SearchResults> {
  const { q } = parseInput(searchQuerySchema, input, "invalid_search");
  const { tenantId, mode } = scope;
  const hashPrefix = /^[0-9a-f]{4,64}$/i.test(q) ? q.toLowerCase() : null;
  const contains = `%${escapeLike(q)}%`;
  const [payments, endpoints, keys] = await Promise.all([
    // A range on the primary key (payment hashes are lowercase hex), so a prefix is an index
    // lookup however many payments the tenant has.
    hashPrefix
      ? db.$queryRaw<{ payment_hash: string; endpoint: string | null; amount_msat: bigint; settled_at: Date | null }[]>`
          SELECT i.payment_hash, t.endpoint_label AS endpoint, i.amount_msat, i.settled_at
          FROM invoices i LEFT JOIN l402_tokens t ON t.payment_hash = i.payment_hash
          WHERE i.payment_hash >= ${hashPrefix} AND i.payment_hash < ${`${hashPrefix}g`}
            AND i.tenant_id = ${tenantId} AND i.mode = ${mode}::"KeyMode" AND i.state = 'paid'
          ORDER BY i.payment_hash LIMIT ${HITS_PER_KIND}`
      : [],
    db.$queryRaw<EndpointHit[]>`
      SELECT id, method, path, price_sats AS "priceSats", enabled FROM endpoints
      WHERE tenant_id = ${tenantId} AND (method || ' ' || path ILIKE ${contains} OR description ILIKE ${contains})
      ORDER BY method, path LIMIT ${HITS_PER_KIND}`,
    db.apiKey.findMany({
      where: {
        tenantId,
        mode,
        internal: false, // not the dashboard's own test-call key
        // Prisma passes contains/startsWith to LIKE as they are: % and _ must be escaped here.
        OR: [{ name: { contains: escapeLike(q), mode: "insensitive" } }, { prefix: { startsWith: escapeLike(q) } }, { lastFour: q }],
      },
      select: { id: true, name: true, prefix: true, lastFour: true, revokedAt: true },
      orderBy: { createdAt: "desc" },
      take: HITS_PER_KIND,
    }),
  ]);
  return {
    payments: payments.map((p) => ({
      paymentHash: p.payment_hash,
      endpoint: p.endpoint,
      amountMsat: p.amount_msat.toString(),
      settledAt: p.settled_at?.toISOString() ?? null,
    })),
    endpoints,
    keys: keys.map((k) => ({ id: k.id, name: k.name, prefix: k.prefix, lastFour: k.lastFour, revoked: k.revokedAt !== null })),
  };
}
