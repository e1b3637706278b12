import { Spinner } from "./button";

/** What a list page shows while its data loads (a route's loading.tsx). */
export function ListSkeleton({ title, rows = 6 }: { title: string; rows?: number }) {
  return (
    <div className="space-y-6" aria-busy="true">
      <h1 className="text-2xl font-semibold tracking-tight">{title}</h1>
      <div className="rounded-xl border border-stone-200 bg-white p-5 shadow-sm sm:p-6">
        <p role="status" className="mb-4 flex items-center gap-2 text-sm text-stone-600">
          <Spinner /> Loading…
        </p>
        <div className="space-y-3">
          {Array.from({ length: rows }, (_, i) => (
            <div key={i} className="h-5 animate-pulse rounded bg-stone-100" />
          ))}
        </div>
      </div>
    </div>
  );
}
