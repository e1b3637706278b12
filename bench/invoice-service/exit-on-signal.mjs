// Preloaded into the benchmark's server child (`node --import`): SIGTERM/SIGINT end the
// process through process.exit(), so `--cpu-prof` gets to write its .cpuprofile (a plain
// signal death writes nothing). The server itself has no shutdown hook to rely on.
for (const signal of ["SIGTERM", "SIGINT"]) process.on(signal, () => process.exit(0));
