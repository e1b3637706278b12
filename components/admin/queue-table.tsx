// Every job queue with its jobs counted by state; failed counts stand out.
import type { QueueCounts } from "@/lib/admin/jobs";
import { EmptyState } from "@/components/ui/card";

const STATES = ["created", "retry", "active", "failed", "completed"] as const;

export function QueueTable({ queues }: { queues: QueueCounts[] }) {
  if (queues.length === 0) return <EmptyState title="No job queues installed" />;
  return (
    <>
      <ul className="divide-y divide-stone-100 text-sm sm:hidden" data-testid="queue-cards">
        {queues.map((queue) => (
          <li key={queue.name} className="py-2">
            <p className="break-all font-mono text-xs font-medium">{queue.name}</p>
            <p className="mt-1 flex flex-wrap gap-x-3 text-xs text-stone-600">
              {STATES.map((state) => (
                <span key={state} className={state === "failed" && queue.counts.failed > 0 ? "font-semibold text-red-700" : ""}>
                  {queue.counts[state].toLocaleString("en-US")} {state}
                </span>
              ))}
            </p>
          </li>
        ))}
      </ul>
      <div className="hidden overflow-x-auto sm:block">
        <table className="w-full text-left text-sm" data-testid="queue-table">
          <thead className="text-xs uppercase text-stone-500">
            <tr>
              <th className="py-2 pr-2">Queue</th>
              {STATES.map((state) => (
                <th key={state} className="px-2 py-2 text-right">
                  {state}
                </th>
              ))}
            </tr>
          </thead>
          <tbody className="divide-y divide-stone-100">
            {queues.map((queue) => (
              <tr key={queue.name} data-testid="queue-row">
                <td className="py-2 pr-2 font-mono text-xs">{queue.name}</td>
                {STATES.map((state) => (
                  <td
                    key={state}
                    className={`px-2 text-right tabular-nums ${state === "failed" && queue.counts.failed > 0 ? "font-semibold text-red-700" : "text-stone-700"}`}
                  >
                    {queue.counts[state].toLocaleString("en-US")}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
