// Every job queue, with its retry policy. installJobQueue creates them at migration time;
// a domain adds its queue here and its handler in lib/jobs/handlers.ts.
import type PgBoss from "pg-boss";
import { WEBHOOK_DELIVER_QUEUE, WEBHOOK_EVENT_QUEUE } from "../webhooks/queue-names";

export interface QueueDefinition {
  name: string;
  options: Omit<PgBoss.Queue, "name">;
}

export const JOB_QUEUES: QueueDefinition[] = [
  // Fans an event out to the tenant's webhook endpoints (lib/webhooks).
  { name: WEBHOOK_EVENT_QUEUE, options: { retryLimit: 10, retryDelay: 5, retryBackoff: true } },
  // One HTTP attempt of a webhook delivery. An endpoint's failure is not a job failure (the
  // handler records it and schedules its own retry); these retries cover a crash or a
  // database error mid-job.
  { name: WEBHOOK_DELIVER_QUEUE, options: { retryLimit: 5, retryDelay: 30, retryBackoff: true } },
];
