// The owner's Lightning address, where payouts go. Saved only once its LNURL-pay document
// resolves (LUD-16), so a typo shows up as the owner types it, not at the first payout.
import { z } from "zod";
import { recordAudit, type RequestContext } from "../audit/record";
import type { Db } from "../db/client";
import { parseInput } from "../errors";
import { resolveLightningAddress, type LnurlOptions, type PayRequest } from "../payouts/lnurl";
import { requireMembership } from "./permissions";

export const lightningAddressInputSchema = z.object({
  lightningAddress: z.string().trim().max(320, "A Lightning address is 320 characters at most."),
});

export interface LightningAddressChange {
  lightningAddress: string | null;
  /** The resolved document (null when the address was removed). */
  payRequest: PayRequest | null;
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
  await requireMembership(db, actorUserId, tenantId, "settings:write");
  const { lightningAddress } = parseInput(lightningAddressInputSchema, input, "invalid_lightning_address");
  const payRequest = lightningAddress ? await resolveLightningAddress(lightningAddress, lnurl) : null;
  const address = payRequest?.address ?? null;
  const tenant = await db.tenant.update({
    where: { id: tenantId },
    data: { lightningAddress: address, lightningAddressVerifiedAt: payRequest ? new Date() : null },
  });
  await recordAudit(db, {
    action: "tenant.lightning_address_changed",
    tenantId,
    actorUserId,
    target: tenant.slug,
    metadata: { lightningAddress: address },
    ...context,
  });
  return { lightningAddress: address, payRequest };
}
