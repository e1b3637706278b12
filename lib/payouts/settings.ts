// The owner's payout settings: the threshold (whole sats, never below what the address
// takes) and automatic payouts on or off. Audited.
import { z } from "zod";
import { recordAudit, type RequestContext } from "../audit/record";
import type { Db } from "../db/client";
import { AppError, parseInput } from "../errors";
import { requireMembership } from "../tenants/permissions";

const MAX_THRESHOLD_SATS = 100_000_000; // 1 BTC

export const payoutSettingsSchema = z.object({
  thresholdSats: z.coerce
    .number({ error: "Enter the threshold in sats." })
    .int("Use a whole number of sats.")
    .min(1, "The threshold is at least 1 sat.")
    .max(MAX_THRESHOLD_SATS, `The threshold is at most ${MAX_THRESHOLD_SATS.toLocaleString("en-US")} sats.`),
  autoPayouts: z.boolean(),
});

export async function updatePayoutSettings(db: Db, actorUserId: string, tenantId: string, input: unknown, context: RequestContext = {}) {
  const { tenant } = await requireMembership(db, actorUserId, tenantId, "settings:write");
  const settings = parseInput(payoutSettingsSchema, input, "invalid_payout_settings");
  const thresholdMsat = BigInt(settings.thresholdSats) * 1000n;
  const minSendable = tenant.lightningAddressMinSendableMsat;
  if (minSendable !== null && thresholdMsat < minSendable) {
    throw new AppError(
      "invalid_request_error",
      "threshold_below_minimum",
      `${tenant.lightningAddress} takes at least ${Math.ceil(Number(minSendable) / 1000)} sats per payment: set the threshold at least that high.`,
      { param: "thresholdSats" },
    );
  }
  return db.$transaction(async (tx) => {
    const updated = await tx.tenant.update({
      where: { id: tenantId },
      data: { payoutThresholdMsat: thresholdMsat, autoPayouts: settings.autoPayouts },
    });
    await recordAudit(tx, {
      action: "tenant.payout_settings_changed",
      tenantId,
      actorUserId,
      target: updated.slug,
      metadata: { thresholdSats: settings.thresholdSats, autoPayouts: settings.autoPayouts },
      ...context,
    });
    return updated;
  });
}
