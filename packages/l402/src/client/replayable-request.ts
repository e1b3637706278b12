/**
 * A request that can be sent more than once. The first attempt may answer 402, and the
 * paid retry must carry the same method, headers and body; a body stream can be read
 * only once, so it is buffered up front.
 */

type FetchInput = Parameters<typeof fetch>[0];

export class ReplayableRequest {
  private constructor(
    /** Template for each attempt; its own body is already consumed into `bodyBytes`. */
    private readonly template: Request,
    // Each Request copies a BufferSource body, so one buffer serves every attempt.
    private readonly bodyBytes: ArrayBuffer | null,
  ) {}

  static async from(input: FetchInput, init?: RequestInit): Promise<ReplayableRequest> {
    const template = new Request(input, init);
    const bodyBytes = template.body ? await template.arrayBuffer() : null;
    return new ReplayableRequest(template, bodyBytes);
  }

  get url(): string {
    return this.template.url;
  }

  get method(): string {
    return this.template.method;
  }

  /** Sends a fresh copy, with `Authorization` set when a credential is given. */
  send(fetchImpl: typeof fetch, authorization?: string): Promise<Response> {
    const headers = new Headers(this.template.headers);
    if (authorization !== undefined) headers.set("authorization", authorization);
    // Everything else (method, signal, redirect, credentials...) comes from the template.
    return fetchImpl(new Request(this.template, { headers, body: this.bodyBytes }));
  }
}
