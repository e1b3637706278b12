// In a route group, like the payments list: the token page answers its own 404.
import { ListSkeleton } from "@/components/ui/skeleton";

export default function Loading() {
  return <ListSkeleton title="Payer tokens" />;
}
