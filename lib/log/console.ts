// Everything the process prints through console (Next's warnings and errors, libraries,
// older code) goes through the logger too: one format, the log scope's fields (the request
// id while Next serves a request, the job id in the worker), the same redaction. Installed
// once by server.ts and the worker.
import { format } from "node:util";
import { logger } from "./logger";

let installed = false;

export function routeConsoleToLogger(): void {
  if (installed) return;
  installed = true;
  const log = logger.child({ component: "console" });
  console.log = (...args: unknown[]) => log.info(format(...args));
  console.info = (...args: unknown[]) => log.info(format(...args));
  console.warn = (...args: unknown[]) => log.warn(format(...args));
  console.error = (...args: unknown[]) => {
    const error = args.find((arg): arg is Error => arg instanceof Error);
    log.error(error ? { err: error } : {}, format(...args.filter((arg) => arg !== error)));
  };
  console.debug = (...args: unknown[]) => log.debug(format(...args));
}
