// The owner's Lightning address, where payouts go. Saved only once its LNURL-pay document
// resolves (LUD-16), so a typo shows up as the owner types it, not at the first payout.
// Changing it asks for the password again (a session left open, or stolen, is not enough),
// is audited, and starts the payout cool-down (lib/payouts/hold.ts).
import { z } from "zod";
import { recordAudit, type RequestContext } from "../audit/record";
import { verifyPassword } from "../auth/password";
import type { Db } from "../db/client";
import { AppError, parseInput } from "../errors";
import { payoutHoldUntil } from "../payouts/hold";
import { resolveLightningAddress, type LnurlOptions, type PayRequest } from "../payouts/lnurl";
import { requireMembership } from "./permissions";

export const lightningAddressInputSchema = z.object({
  lightningAddress: z.string().trim().max(320, "A Lightning address is 320 characters at most."),
  password: z.string().max(1000).optional(),
});

export interface LightningAddressChange {
  lightningAddress: string | null;
  /** The resolved document (null when the address was removed). */
  payRequest: PayRequest | null;
  /** Payouts wait until then (null: not held). */
  payoutsHeldUntil: Date | null;
}

/** Sets (after resolving it) or, given "", removes the tenant's Lightning address. */
export async function setLightningAddress(
  db: Db,
  actorUserId: string,
  tenantId: string,
  input: unknown,
  context: RequestContext = {},
  lnurl: LnurlOptions = {},
): Promise<LightningAddressChange> {
  const { tenant: current } = await requireMembership(db, actorUserId, tenantId, "settings:write");
  const { lightningAddress, password } = parseInput(lightningAddressInputSchema, input, "invalid_lightning_address");
  const user = await db.user.findUniqueOrThrow({ where: { id: actorUserId }, select: { passwordHash: true } });
  if (!password || !(await verifyPassword(password, user.passwordHash))) {
    throw new AppError("invalid_request_error", "wrong_password", "Enter your password to change where payouts go.", {
      param: "password",
    });
  }
  const payRequest = lightningAddress ? await resolveLightningAddress(lightningAddress, lnurl) : null;
  const address = payRequest?.address ?? null;
  // Replacing or removing a set address starts the cool-down; setting the first one does not
  // (an earlier removal's cool-down still runs).
  const changed = current.lightningAddress !== null && current.lightningAddress !== address;
  const tenant = await db.$transaction(async (tx) => {
    const updated = await tx.tenant.update({
      where: { id: tenantId },
      data: {
        lightningAddress: address,
        lightningAddressVerifiedAt: payRequest ? new Date() : null,
        lightningAddressMinSendableMsat: payRequest?.minSendableMsat ?? null,
        lightningAddressMaxSendableMsat: payRequest?.maxSendableMsat ?? null,
        ...(changed ? { lightningAddressChangedAt: new Date() } : {}),
      },
    });
    await recordAudit(tx, {
      action: "tenant.lightning_address_changed",
      tenantId,
      actorUserId,
      target: updated.slug,
      metadata: { lightningAddress: address, previous: current.lightningAddress, payoutsHeld: changed },
      ...context,
    });
    return updated;
  });
  return { lightningAddress: address, payRequest, payoutsHeldUntil: payoutHoldUntil(tenant) };
}
