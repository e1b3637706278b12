// The owner switches a payer token off (or on again). A disabled balance serves no call and
// stays the payer's money in the books (the prepaid liability): nothing is posted.
import type { Db } from "../db/client";
import { AppError } from "../errors";
import type { KeyMode } from "../keys/api-keys";
import { recordAudit, type RequestContext } from "../audit/record";

export async function setPayerTokenDisabled(
  db: Db,
  actor: { userId: string; tenantId: string; mode: KeyMode },
  balanceId: string,
  disabled: boolean,
  context: RequestContext = {},
) {
  return db.$transaction(async (tx) => {
    const changed = await tx.prepaidBalance.updateMany({
      where: { id: balanceId, tenantId: actor.tenantId, mode: actor.mode },
      data: { disabledAt: disabled ? new Date() : null },
    });
    if (changed.count === 0) throw new AppError("not_found_error", "payer_token_not_found", "No such payer token in this workspace.");
    await recordAudit(tx, {
      ...context,
      action: disabled ? "payer_token.disabled" : "payer_token.enabled",
      tenantId: actor.tenantId,
      actorUserId: actor.userId,
      target: balanceId,
    });
  });
}
