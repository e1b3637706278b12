import { Badge, type BadgeTone } from "@/components/ui/badge";
import type { KeyStatus } from "@/lib/keys/status";
import { formatUtc } from "@/lib/format/time";

const TONE: Record<KeyStatus, BadgeTone> = { active: "green", rotating: "amber", expired: "stone", revoked: "red" };
const MEANING: Record<KeyStatus, string> = {
  active: "Works now",
  rotating: "Replaced; works until the end of its grace period",
  expired: "Past its expiry: refused with api_key_expired",
  revoked: "Revoked: refused with api_key_revoked",
};

export function KeyStatusBadge({ status, expiresAt }: { status: KeyStatus; expiresAt?: Date | null }) {
  const until = status === "rotating" || (status === "active" && expiresAt) ? ` until ${formatUtc(expiresAt)}` : "";
  return (
    <Badge tone={TONE[status]} title={`${MEANING[status]}${until}`}>
      {status}
    </Badge>
  );
}
