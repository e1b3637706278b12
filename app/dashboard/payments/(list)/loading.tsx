// The list lives in a route group so its loading skeleton (a Suspense boundary) does not
// wrap the payment page: that one must answer a real 404 for a payment that is not yours.
import { ListSkeleton } from "@/components/ui/skeleton";

export default function Loading() {
  return <ListSkeleton title="Payments" />;
}
