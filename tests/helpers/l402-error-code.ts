import { isL402Error } from "@/lib/l402";

/** The code of the L402 error `run` throws (protocol or caveat), undefined if it throws none. */
export function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    return isL402Error(error) ? error.code : `not an L402 error: ${String(error)}`;
  }
  return undefined;
}
