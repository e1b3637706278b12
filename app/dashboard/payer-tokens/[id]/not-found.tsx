import Link from "next/link";
import { Card, EmptyState } from "@/components/ui/card";

// Another workspace's (or mode's) token looks exactly like one that never existed.
export default function PayerTokenNotFound() {
  return (
    <Card>
      <EmptyState title="No such payer token in this workspace and mode">
        <Link href="/dashboard/payer-tokens" className="text-stone-700 underline">
          Back to payer tokens
        </Link>
      </EmptyState>
    </Card>
  );
}
