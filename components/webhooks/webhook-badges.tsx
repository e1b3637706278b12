import { Badge, type BadgeTone } from "@/components/ui/badge";

const DELIVERY_TONE: Record<string, BadgeTone> = { succeeded: "green", pending: "stone", retrying: "amber", failed: "red" };

export function DeliveryStateBadge({ state }: { state: string }) {
  return <Badge tone={DELIVERY_TONE[state] ?? "stone"}>{state}</Badge>;
}

export function EndpointStatusBadge({ enabled, failingSince }: { enabled: boolean; failingSince: Date | null }) {
  if (!enabled) return <Badge tone="red">disabled</Badge>;
  if (failingSince)
    return (
      <Badge tone="amber" title={`Failing since ${failingSince.toISOString()}`}>
        failing
      </Badge>
    );
  return <Badge tone="green">enabled</Badge>;
}
