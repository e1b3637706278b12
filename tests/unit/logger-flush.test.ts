// Outside tests the logger batches info lines (lib/log/logger.ts): this holds it to its
// promise that a line still goes out within a fraction of a second while the process runs,
// not only when the buffer fills or the process exits.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { expect, it } from "vitest";

it("a single info line reaches stdout within a second of being logged, while the process keeps running", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tollbooth-log-flush-"));
  const script = path.join(dir, "log-once.mts");
  const loggerUrl = pathToFileURL(path.resolve("lib/log/logger.ts")).href;
  // Logs one line, says so on stderr (unbuffered), then stays alive for 5 s: the line must
  // not wait for the flush at exit.
  fs.writeFileSync(
    script,
    `const { logger } = await import(${JSON.stringify(loggerUrl)});\nlogger.info({ marker: "flush-check" }, "one line");\nprocess.stderr.write("logged\\n");\nsetTimeout(() => {}, 5000);\n`,
  );
  const child = spawn(process.execPath, ["--import", "tsx", script], {
    env: { ...process.env, NODE_ENV: "production", LOG_FORMAT: "json", LOG_LEVEL: "info" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  try {
    let output = "";
    const logged = new Promise<number>((resolve) =>
      child.stderr.on("data", (chunk: Buffer) => chunk.includes("logged") && resolve(Date.now())),
    );
    const written = new Promise<number>((resolve, reject) => {
      child.stdout.on("data", (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes("flush-check")) resolve(Date.now());
      });
      child.once("exit", () => reject(new Error(`the child exited before its line came out: ${JSON.stringify(output)}`)));
    });
    const [loggedAt, writtenAt] = await Promise.all([logged, written]);
    expect(writtenAt - loggedAt).toBeLessThan(1000);
    expect(JSON.parse(output.trim().split("\n")[0]!)).toMatchObject({ marker: "flush-check", msg: "one line" });
  } finally {
    child.kill("SIGKILL");
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
