import Link from "next/link";
import { Card, EmptyState } from "@/components/ui/card";

// Another workspace's key id looks exactly like one that never existed.
export default function KeyNotFound() {
  return (
    <Card>
      <EmptyState title="No such key in this workspace">
        <Link href="/dashboard/keys" className="text-stone-700 underline">
          Back to your API keys
        </Link>
      </EmptyState>
    </Card>
  );
}
