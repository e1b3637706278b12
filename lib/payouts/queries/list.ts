// A tenant's payouts in one mode, newest first, keyset-paginated on (created_at, id).
import type { Db } from "../../db/client";
import type { Payout, PayoutState } from "../../db/generated/client";
import { AppError } from "../../errors";
import type { KeyMode } from "../../keys/api-keys";
import { decodeCursor, encodeCursor } from "../../stats/cursor";

export const MAX_PAYOUT_PAGE = 100;

export interface PayoutScope {
  tenantId: string;
  mode: KeyMode;
}

export interface PayoutPage {
  data: Payout[];
  hasMore: boolean;
  nextCursor: string | null;
}

export async function listPayouts(
  db: Db,
  scope: PayoutScope & { limit?: number; cursor?: string; state?: PayoutState },
): Promise<PayoutPage> {
  const limit = Math.min(Math.max(scope.limit ?? 20, 1), MAX_PAYOUT_PAGE);
  const after = scope.cursor ? decodeCursor(scope.cursor) : undefined;
  const rows = await db.payout.findMany({
    where: {
      tenantId: scope.tenantId,
      mode: scope.mode,
      ...(scope.state ? { state: scope.state } : {}),
      ...(after ? { OR: [{ createdAt: { lt: after.at } }, { createdAt: after.at, id: { lt: after.id } }] } : {}),
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit + 1,
  });
  const hasMore = rows.length > limit;
  const data = rows.slice(0, limit);
  const last = data.at(-1);
  return { data, hasMore, nextCursor: hasMore && last ? encodeCursor({ at: last.createdAt, id: last.id }) : null };
}

/** One payout of the scope's tenant and mode; 404 for anyone else's (ids reveal nothing). */
export async function getPayout(db: Db, scope: PayoutScope & { id: string }): Promise<Payout> {
  const payout = await db.payout.findFirst({ where: { id: scope.id, tenantId: scope.tenantId, mode: scope.mode } });
  if (!payout) throw new AppError("not_found_error", "payout_not_found", "No such payout.", { param: "id" });
  return payout;
}
