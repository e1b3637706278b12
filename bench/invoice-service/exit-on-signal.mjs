// Preloaded into the benchmark's server child (`node --import`): SIGTERM/SIGINT end the
// process through process.exit(), so `--cpu-prof` gets to write its .cpuprofile (a plain
// signal death writes nothing). The server itself has no shutdown hook to rely on.
//
// For the soak (run with --expose-gc and TOLLBOOTH_BENCH_HEAP_FILE set): SIGUSR2 runs a full
// garbage collection and writes process.memoryUsage() to that file, so each minute's memory
// is what the server still holds, not where V8's sawtooth happened to be.
import fs from "node:fs";

for (const signal of ["SIGTERM", "SIGINT"]) process.on(signal, () => process.exit(0));

const heapFile = process.env.TOLLBOOTH_BENCH_HEAP_FILE;
if (heapFile) {
  process.on("SIGUSR2", () => {
    globalThis.gc?.();
    fs.writeFileSync(heapFile, JSON.stringify({ at: Date.now(), gc: typeof globalThis.gc === "function", ...process.memoryUsage() }));
  });
}
