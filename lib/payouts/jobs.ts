// The payout queues: one job per payout run (`payout`), the threshold check every minute,
// the hourly sweep. Declared in lib/jobs/queues.ts, handled in lib/jobs/handlers.ts.
export const PAYOUT_QUEUE = "payout";
export const PAYOUT_THRESHOLD_QUEUE = "payout-threshold";
export const PAYOUT_SWEEP_QUEUE = "payout-sweep";
