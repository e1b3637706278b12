// Every job queue with its jobs counted by state; failed counts stand out.
import type { QueueCounts } from "@/lib/admin/jobs";
import { EmptyState } from "@/components/ui/card";

const STATES = ["created", "retry", "active", "failed", "completed"] as const;

export function QueueTable({ queues }: { queues: QueueCounts[] }) {
  if (queues.length === 0) return <EmptyState title="No job queues installed" />;
  return (
    <div className="-mx-5 overflow-x-auto px-5 sm:mx-0 sm:px-0">
      <table className="w-full min-w-[28rem] text-left text-sm" data-testid="queue-table">
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
  );
}
