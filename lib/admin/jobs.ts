// The job queues as the operator sees them: every pg-boss queue with its jobs counted by
// state, the most recent failed jobs with their error, and a retry that puts a failed job
// back in its queue (pg-boss's own retry statement, run in the transaction that audits it).
// Read from pg-boss's tables (schema pgboss, v10): jobs pg-boss has archived are not counted.
import { z } from "zod";
import type { Db } from "../db/client";
import { AppError } from "../errors";
import { recordAudit, type RequestContext } from "../audit/record";
import { JOB_SCHEMA } from "../jobs/queue";
import { operatorAuditFields, type OperatorActor } from "./actor";

export const JOB_STATES = ["created", "retry", "active", "completed", "cancelled", "failed"] as const;
export type JobState = (typeof JOB_STATES)[number];

export interface QueueCounts {
  name: string;
  counts: Record<JobState, number>;
}

export interface FailedJob {
  id: string;
  queue: string;
  data: unknown;
  /** What the handler threw (pg-boss keeps {name, message, stack} as the job's output). */
  error: string;
  retryCount: number;
  createdAt: string;
  failedAt: string | null;
}

export const retryJobParams = z.object({
  queue: z.string().min(1).max(200),
  id: z.uuid("A job id is a UUID."),
});

export async function queueCounts(db: Db): Promise<QueueCounts[]> {
  const rows = await db.$queryRawUnsafe<{ name: string; state: JobState | null; count: number }[]>(
    `SELECT q.name, j.state::text AS state, COUNT(j.id)::int AS count
       FROM ${JOB_SCHEMA}.queue q LEFT JOIN ${JOB_SCHEMA}.job j ON j.name = q.name
      WHERE left(q.name, 10) <> '__pgboss__' -- pg-boss's own (its scheduler), not the platform's work
      GROUP BY q.name, j.state ORDER BY q.name`,
  );
  const byQueue = new Map<string, QueueCounts>();
  for (const row of rows) {
    const entry = byQueue.get(row.name) ?? {
      name: row.name,
      counts: Object.fromEntries(JOB_STATES.map((s) => [s, 0])) as Record<JobState, number>,
    };
    if (row.state) entry.counts[row.state] = row.count;
    byQueue.set(row.name, entry);
  }
  return [...byQueue.values()];
}

function describeOutput(output: unknown): string {
  if (output && typeof output === "object") {
    const { message, stack } = output as { message?: unknown; stack?: unknown };
    if (typeof stack === "string") return stack.slice(0, 2000);
    if (typeof message === "string") return message.slice(0, 2000);
    return JSON.stringify(output).slice(0, 2000);
  }
  return output === null || output === undefined ? "(no error recorded)" : String(output).slice(0, 2000);
}

export async function failedJobs(db: Db, options: { queue?: string; limit?: number } = {}): Promise<FailedJob[]> {
  const limit = Math.min(options.limit ?? 20, 100);
  const rows = await db.$queryRawUnsafe<
    { id: string; name: string; data: unknown; output: unknown; retry_count: number; created_on: Date; completed_on: Date | null }[]
  >(
    `SELECT id::text, name, data, output, retry_count, created_on, completed_on FROM ${JOB_SCHEMA}.job
      WHERE state = 'failed' AND ($1::text IS NULL OR name = $1) ORDER BY completed_on DESC NULLS LAST, created_on DESC LIMIT $2`,
    options.queue ?? null,
    limit,
  );
  return rows.map((row) => ({
    id: row.id,
    queue: row.name,
    data: row.data,
    error: describeOutput(row.output),
    retryCount: row.retry_count,
    createdAt: row.created_on.toISOString(),
    failedAt: row.completed_on?.toISOString() ?? null,
  }));
}

/** Puts a failed job back in its queue with one more try (as pg-boss's `retry(name, id)`). */
export async function retryFailedJob(db: Db, input: unknown, actor: OperatorActor, context: RequestContext = {}) {
  const parsed = retryJobParams.safeParse(input);
  if (!parsed.success) throw new AppError("invalid_request_error", "invalid_job", parsed.error.issues[0].message, { param: "id" });
  const { queue, id } = parsed.data;
  await db.$transaction(async (tx) => {
    const updated = await tx.$queryRawUnsafe<{ id: string }[]>(
      `UPDATE ${JOB_SCHEMA}.job SET state = 'retry', retry_limit = retry_limit + 1
        WHERE name = $1 AND id = $2::uuid AND state = 'failed' RETURNING id::text`,
      queue,
      id,
    );
    if (updated.length === 0)
      throw new AppError("not_found_error", "failed_job_not_found", "No failed job with this id in this queue (retried already?).");
    const fields = operatorAuditFields(actor);
    await recordAudit(tx, {
      action: "operator.job_retried",
      target: `${queue}/${id}`,
      ...fields,
      metadata: { ...fields.metadata, queue },
      ...context,
    });
  });
  return { queue, id, state: "retry" as const };
}
