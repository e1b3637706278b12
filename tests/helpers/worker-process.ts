// A real worker process for crash tests: the job queue and housekeeping on DATABASE_URL,
// exactly as `npm run worker` runs them (fast intervals). Killed with SIGKILL by the test,
// or by the payout code itself at PAYOUT_TEST_CRASH_AFTER_PAY=1.
import { createDb } from "../../lib/db/client";
import { startWorker } from "../../lib/jobs/worker";

const url = process.env.DATABASE_URL as string;
const db = createDb(url, 4);
const worker = await startWorker({ db, url, intervalMs: 300 });
await worker.ready;
console.log("worker ready");
process.on("SIGTERM", async () => {
  await worker.stop();
  await db.$disconnect();
  process.exit(0);
});
