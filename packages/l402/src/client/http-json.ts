/** Reading JSON answers from services that may not answer JSON (proxies, crashes). */

/** The body parsed as JSON, or undefined when it is empty or not JSON. */
export async function readJsonBody(response: Response): Promise<unknown> {
  const text = await response.text().catch(() => "");
  if (text.trim() === "") return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * The human message of an error body: Tollbooth's `{error:{message}}`, LND's
 * `{message}` / `{error:{message}}`, or a bare `{error:"..."}`.
 */
export function serviceErrorMessage(body: unknown): string | undefined {
  if (typeof body !== "object" || body === null) return undefined;
  const { error, message } = body as { error?: unknown; message?: unknown };
  if (typeof error === "object" && error !== null) {
    const nested = (error as { message?: unknown }).message;
    if (typeof nested === "string" && nested !== "") return nested;
  }
  if (typeof error === "string" && error !== "") return error;
  if (typeof message === "string" && message !== "") return message;
  return undefined;
}
