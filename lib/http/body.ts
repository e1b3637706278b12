// Reading a request body without trusting its size: from a clone (the original stays
// readable for whoever handles the request next), and giving up as soon as it passes the
// limit, so a 100 MB body is never held in memory to find out it is too big.

export const TOO_LARGE = Symbol("too large");

export async function readBodyUpTo(request: Request, maxBytes: number): Promise<Uint8Array<ArrayBuffer> | typeof TOO_LARGE> {
  if (Number(request.headers.get("content-length")) > maxBytes) return TOO_LARGE;
  const reader = request.clone().body?.getReader();
  if (!reader) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      // Not awaited: a clone is one branch of a tee, whose cancel settles only once the
      // other branch (the original, which nobody will read now) is cancelled too.
      reader.cancel().catch(() => undefined);
      return TOO_LARGE;
    }
    chunks.push(value);
  }
  const body = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}
