import { Badge } from "@/components/ui/badge";
import type { PaymentRow } from "@/lib/stats/types";

/** Redeemed, or paid and never used; plus how many paid calls failed (each use given back). */
export function PaymentStatus({ payment }: { payment: Pick<PaymentRow, "redeemed" | "failedCalls"> }) {
  return (
    <span className="inline-flex flex-wrap gap-1">
      {payment.redeemed ? (
        <Badge tone="green" title="The token was used for at least one call">
          redeemed
        </Badge>
      ) : (
        <Badge tone="amber" title="Paid, but the caller has not used the token yet">
          not used yet
        </Badge>
      )}
      {payment.failedCalls > 0 && (
        <Badge tone="red" title="Paid calls whose handler failed; each use was given back">
          {payment.failedCalls} failed {payment.failedCalls === 1 ? "call" : "calls"}
        </Badge>
      )}
    </span>
  );
}
