// The webhook job queues' names, in a module with no imports: lib/jobs/queues.ts needs them,
// and lib/webhooks/publish.ts imports the job queue, so naming them there would be a cycle.
export const WEBHOOK_EVENT_QUEUE = "webhook-event";
export const WEBHOOK_DELIVER_QUEUE = "webhook-deliver";
