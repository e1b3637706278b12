import type { Metadata } from "next";
import { failedJobs, queueCounts } from "@/lib/admin/jobs";
import { requireOperator } from "@/lib/admin/session";
import { getDb } from "@/lib/db/client";
import { formatUtc } from "@/lib/format/time";
import { QueueTable } from "@/components/admin/queue-table";
import { ActionButton } from "@/components/ui/action-button";
import { Card, EmptyState } from "@/components/ui/card";
import { retryJobAction } from "../actions";

export const metadata: Metadata = { title: "Job queues" };

export default async function JobsPage() {
  await requireOperator();
  const db = getDb();
  const [queues, failed] = await Promise.all([queueCounts(db), failedJobs(db, { limit: 50 })]);
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Job queues</h1>
        <p className="mt-1 text-sm text-stone-600">
          Every pg-boss queue, its jobs by state, and the jobs that used up their retries. Retry gives a failed job one more try.
        </p>
      </div>
      <Card title="Queues">
        <QueueTable queues={queues} />
      </Card>
      <Card title="Failed jobs" description="Newest first, with what the handler threw.">
        {failed.length === 0 ? (
          <EmptyState title="No failed jobs">Jobs that fail after all their retries appear here.</EmptyState>
        ) : (
          <ul className="divide-y divide-stone-100" data-testid="failed-jobs">
            {failed.map((job) => (
              <li key={job.id} className="space-y-2 py-3" data-testid="failed-job">
                <div className="flex flex-wrap items-start justify-between gap-2">
                  <div className="min-w-0">
                    <p className="font-mono text-xs font-medium">{job.queue}</p>
                    <p className="break-all font-mono text-[11px] text-stone-500">{job.id}</p>
                  </div>
                  <ActionButton action={retryJobAction} fields={{ queue: job.queue, id: job.id }} label="Retry" pendingLabel="Requeuing…" />
                </div>
                <p className="text-xs text-stone-600">
                  Failed {formatUtc(job.failedAt ? new Date(job.failedAt) : null)} after {job.retryCount} retr
                  {job.retryCount === 1 ? "y" : "ies"} · created {formatUtc(new Date(job.createdAt))}
                </p>
                <details>
                  <summary className="cursor-pointer text-xs text-red-800">{job.error.split("\n")[0]}</summary>
                  <pre className="mt-1 max-h-48 overflow-auto whitespace-pre-wrap break-all rounded bg-stone-50 p-2 text-[11px]">
                    {job.error}
                  </pre>
                  <pre className="mt-1 max-h-32 overflow-auto whitespace-pre-wrap break-all rounded bg-stone-50 p-2 text-[11px]">
                    {JSON.stringify(job.data, null, 2)}
                  </pre>
                </details>
              </li>
            ))}
          </ul>
        )}
      </Card>
    </div>
  );
}
