import Link from "next/link";
import { EmptyState } from "@/components/ui/card";

export default function PaymentNotFound() {
  return (
    <EmptyState title="No such payment here">
      It is not a settled payment of this workspace in the mode the dashboard shows (the test/live switch above).{" "}
      <Link href="/dashboard/payments" className="text-stone-700 underline">
        Back to payments
      </Link>
    </EmptyState>
  );
}
