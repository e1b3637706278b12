// The job queue's promise: a job enqueued inside a transaction exists exactly when that
// transaction commits, and the worker runs it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { enqueue, installJobQueue } from "../../lib/jobs/queue";
import { startWorker } from "../../lib/jobs/worker";
import { createTestDatabase, type TestDatabase } from "../helpers/database";

const QUEUE = "test-queue";
let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
  await installJobQueue(database.url, [{ name: QUEUE, options: { retryLimit: 2, retryDelay: 1 } }]);
});
afterAll(async () => database?.drop());

async function jobsIn(queue: string): Promise<{ state: string; data: { n: number } }[]> {
  return database.db.$queryRawUnsafe(`SELECT state::text, data FROM pgboss.job WHERE name = $1 ORDER BY created_on`, queue);
}

describe("enqueue", () => {
  it("queues nothing when the transaction rolls back, and the job when it commits", async () => {
    await expect(
      database.db.$transaction(async (tx) => {
        await enqueue(tx, QUEUE, { n: 1 });
        throw new Error("the change failed");
      }),
    ).rejects.toThrow("the change failed");
    expect(await jobsIn(QUEUE)).toEqual([]);

    await database.db.$transaction(async (tx) => {
      await enqueue(tx, QUEUE, { n: 2 });
    });
    expect((await jobsIn(QUEUE)).map((job) => job.data.n)).toEqual([2]);
  });

  it("refuses a queue that does not exist instead of dropping the job", async () => {
    await expect(enqueue(database.db, "no-such-queue", { n: 3 })).rejects.toThrow(/does not exist/);
  });

  it("the worker runs queued jobs, and retries one whose handler threw", async () => {
    const seen: number[] = [];
    let failures = 0;
    const worker = await startWorker({
      db: database.db,
      url: database.url,
      tasks: [],
      log: { log() {}, error() {} },
      handlers: [
        {
          queue: QUEUE,
          pollingIntervalSeconds: 0.5,
          async handle(_db, job) {
            const n = (job.data as { n: number }).n;
            if (n === 4 && failures++ === 0) throw new Error("first try fails");
            seen.push(n);
          },
        },
      ],
    });
    try {
      await worker.ready;
      await enqueue(database.db, QUEUE, { n: 4 });
      const deadline = Date.now() + 15_000;
      while (!(seen.includes(2) && seen.includes(4)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    } finally {
      await worker.stop();
    }
    expect(seen.sort()).toEqual([2, 4]);
    expect(failures).toBe(2);
    const states = (await jobsIn(QUEUE)).map((job) => job.state);
    expect(states).toEqual(["completed", "completed"]);
  }, 30_000);
});
