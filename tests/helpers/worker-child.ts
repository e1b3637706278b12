// The real worker as a child process (tests/helpers/worker-process.ts: the job queue and
// housekeeping, as `npm run worker` runs them), for tests that kill it: SIGKILL leaves
// whatever it was doing half-done, exactly as a crash or an OOM kill would.
import { spawn, type ChildProcess } from "node:child_process";

export interface WorkerChild {
  child: ChildProcess;
  /** Resolves when the job queue is taking jobs; rejects if the process ends first. */
  ready: Promise<void>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Everything it printed so far (stdout and stderr). */
  output(): string;
  /** SIGKILL, and wait until it is gone. */
  kill(): Promise<void>;
  /** SIGTERM (a graceful stop), and wait until it is gone. */
  stop(): Promise<void>;
}

const children = new Set<ChildProcess>();

export function spawnWorker(databaseUrl: string, env: Record<string, string> = {}): WorkerChild {
  const child = spawn(process.execPath, ["--import", "tsx", "tests/helpers/worker-process.ts"], {
    env: { ...process.env, DATABASE_URL: databaseUrl, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.add(child);
  let output = "";
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on("exit", (code, signal) => {
      children.delete(child);
      resolve({ code, signal });
    }),
  );
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout?.on("data", (chunk) => {
      output += chunk;
      if (output.includes("worker ready")) resolve();
    });
    child.stderr?.on("data", (chunk) => (output += chunk));
    void exited.then(() => reject(new Error(`the worker exited before it was ready:\n${output}`)));
  });
  ready.catch(() => {}); // a caller that never waits for it must not see an unhandled rejection
  const end = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  return { child, ready, exited, output: () => output, kill: () => end("SIGKILL"), stop: () => end("SIGTERM") };
}

/** For afterAll: SIGKILL every worker child still running. */
export async function killWorkers(): Promise<void> {
  const running = [...children];
  for (const child of running) child.kill("SIGKILL");
  await Promise.all(
    running.map(
      (child) =>
        new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve(null) : child.on("exit", resolve))),
    ),
  );
}
