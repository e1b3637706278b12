import { Badge, type BadgeTone } from "@/components/ui/badge";
import { STATUS_LABELS, type PayerTokenStatus } from "@/lib/prepaid/queries/status";

const TONE: Record<PayerTokenStatus, BadgeTone> = { active: "green", low: "amber", used_up: "stone", expired: "stone", disabled: "red" };

export function PayerTokenStatusBadge({ status }: { status: PayerTokenStatus }) {
  return <Badge tone={TONE[status]}>{STATUS_LABELS[status]}</Badge>;
}
