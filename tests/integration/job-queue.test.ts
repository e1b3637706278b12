// The job queue's promise: a job enqueued inside a transaction exists exactly when that
// transaction commits, and the worker runs it; what a job logs carries its id.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

vi.hoisted(() => {
  process.env.LOG_FORMAT = "json";
});

import { enqueue, installJobQueue } from "../../lib/jobs/queue";
import { startWorker } from "../../lib/jobs/worker";
import { componentLogger } from "../../lib/log/logger";
import { createTestDatabase, type TestDatabase } from "../helpers/database";

const QUEUE = "test-queue";
const LOGGING_QUEUE = "test-logging-queue";
let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
  await installJobQueue(database.url, [
    { name: QUEUE, options: { retryLimit: 2, retryDelay: 1 } },
    { name: LOGGING_QUEUE, options: { retryLimit: 0 } },
  ]);
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

  it("every line a job logs carries its jobId and queue; a housekeeping run's lines its runId", async () => {
    const lines: Record<string, unknown>[] = [];
    const keep = (chunk: unknown) => {
      for (const text of String(chunk).split("\n")) if (text.startsWith("{")) lines.push(JSON.parse(text));
      return true;
    };
    vi.spyOn(process.stdout, "write").mockImplementation(keep);
    vi.spyOn(process.stderr, "write").mockImplementation(keep);
    const log = componentLogger("test");
    const handled: string[] = [];
    const worker = await startWorker({
      db: database.db,
      url: database.url,
      intervalMs: 60_000,
      log: { log: (message) => log.info(message), error: (message) => log.error(message) },
      tasks: [{ name: "tidy", run: async () => "tidied" }],
      handlers: [
        {
          queue: LOGGING_QUEUE,
          pollingIntervalSeconds: 0.5,
          async handle(_db, job) {
            log.info("started");
            await new Promise((resolve) => setTimeout(resolve, 10));
            log.info("finished");
            handled.push(job.id);
          },
        },
      ],
    });
    try {
      await worker.ready;
      await enqueue(database.db, LOGGING_QUEUE, { n: 1 });
      await enqueue(database.db, LOGGING_QUEUE, { n: 2 });
      const deadline = Date.now() + 15_000;
      while (handled.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    } finally {
      await worker.stop();
      vi.restoreAllMocks();
    }
    expect(handled).toHaveLength(2);
    const jobLines = lines.filter((line) => line.msg === "started" || line.msg === "finished");
    expect(jobLines.map(({ msg, jobId, queue }) => ({ msg, jobId, queue }))).toEqual(
      handled.flatMap((jobId) => [
        { msg: "started", jobId, queue: LOGGING_QUEUE },
        { msg: "finished", jobId, queue: LOGGING_QUEUE },
      ]),
    );
    const housekeeping = lines.find((line) => line.msg === "[worker] tidy: tidied");
    expect(housekeeping?.runId).toMatch(/^[0-9a-f-]{36}$/);
    expect(housekeeping?.jobId).toBeUndefined();
  }, 30_000);
});
