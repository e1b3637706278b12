/**
 * Newline-delimited JSON from a streaming response body: how LND's REST proxy
 * delivers a server-side gRPC stream, one `{"result": ...}` or `{"error": ...}` per line.
 */

/** Yields each non-empty line parsed as JSON; throws on a line that is not JSON. */
export async function* readJsonLines(response: Response): AsyncGenerator<unknown> {
  if (!response.body) return;
  // getReader rather than `for await` over the body: not every browser makes ReadableStream async-iterable.
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let pending = "";
  try {
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
      pending += decoder.decode(chunk.value, { stream: true });
      let newline = pending.indexOf("\n");
      while (newline >= 0) {
        const line = pending.slice(0, newline);
        pending = pending.slice(newline + 1);
        if (line.trim() !== "") yield parseLine(line);
        newline = pending.indexOf("\n");
      }
    }
    pending += decoder.decode();
    // The last object may arrive without a trailing newline.
    if (pending.trim() !== "") yield parseLine(pending);
  } finally {
    // The caller may stop early (at SUCCEEDED): let go of the connection.
    await reader.cancel().catch(() => undefined);
  }
}

function parseLine(line: string): unknown {
  try {
    return JSON.parse(line) as unknown;
  } catch {
    throw new Error(`stream line is not JSON: ${line.slice(0, 200)}`);
  }
}
