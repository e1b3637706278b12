import Link from "next/link";
import { Card, EmptyState } from "@/components/ui/card";

// Another workspace's endpoint or delivery id looks exactly like one that never existed.
export default function WebhookNotFound() {
  return (
    <Card>
      <EmptyState title="No such webhook in this workspace">
        <Link href="/dashboard/webhooks" className="text-stone-700 underline">
          Back to your webhooks
        </Link>
      </EmptyState>
    </Card>
  );
}
