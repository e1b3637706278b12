// N API processes behind one port (node:cluster: the primary holds the port and hands
// connections to the workers round-robin). API_PROCESSES, default the number of cores, for
// `npm start` and `npm run start:api`. What each process caches (API keys, endpoint lists,
// rate-limit buckets) is shared through Redis when REDIS_URL is set; without it each
// process keeps its own (see README, "More than one process").
import cluster from "node:cluster";
import { availableParallelism } from "node:os";
import { serveClusterMetrics } from "../metrics/cluster";

export function apiProcesses(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.API_PROCESSES?.trim();
  if (!raw) return availableParallelism();
  const count = Number(raw);
  if (!Number.isInteger(count) || count < 1 || count > 256) {
    throw new Error(`API_PROCESSES must be a whole number from 1 to 256, not "${raw}"`);
  }
  return count;
}

/** True in the primary of a cluster of `processes` (it forks and supervises, never serves);
 *  false where the caller should serve (a worker, or a single process). */
export function superviseProcesses(processes: number, log: Pick<Console, "log" | "error"> = console): boolean {
  if (processes <= 1 || !cluster.isPrimary) return false;
  let stopping = false;
  serveClusterMetrics();
  const fork = () => cluster.fork({ ...process.env, MIGRATE_ON_START: "0", TOLLBOOTH_PROCESS_OF: String(processes) });
  for (let i = 0; i < processes; i++) fork();
  let restarts = 0;
  cluster.on("exit", (worker, code, signal) => {
    if (stopping) return;
    // A crashed process is replaced; one that crashes at once every time would spin, so
    // replacements slow down after a few.
    restarts++;
    log.error(`[cluster] process ${worker.process.pid} exited (${signal ?? code}); starting another`);
    setTimeout(fork, Math.min(restarts * 500, 10_000)).unref();
  });
  const stop = () => {
    stopping = true;
    for (const worker of Object.values(cluster.workers ?? {})) worker?.kill("SIGTERM");
    setTimeout(() => process.exit(0), 5000).unref();
    cluster.on("exit", () => {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
    });
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
  return true;
}

/** In a worker: exit when the primary is gone (its IPC channel closes), so no process of a
 *  killed cluster keeps serving on its own. */
export function exitWithPrimary(): void {
  if (cluster.isWorker) process.once("disconnect", () => process.exit(0));
}
