// The cool-down after a Lightning address change: payouts wait it out, so someone who
// took over a session and pointed the address at their own wallet cannot drain the
// balance before the owner notices (the change is audited, and shown on the payouts page).
import { payoutConfig, type PayoutConfig } from "./config";

/** When payouts may go out again, or null when they are not held. */
export function payoutHoldUntil(
  tenant: { lightningAddressChangedAt: Date | null },
  now = new Date(),
  config: PayoutConfig = payoutConfig(),
): Date | null {
  if (!tenant.lightningAddressChangedAt) return null;
  const until = new Date(tenant.lightningAddressChangedAt.getTime() + config.addressCooldownMs);
  return until > now ? until : null;
}
