/**
 * Credentials worth sending again. A Tollbooth token may allow several calls
 * (`uses=<n>`) or a time window, and the payer cannot tell in advance when it runs out,
 * so we remember the last credential that a resource accepted, keyed by
 * (method, origin, path), send it proactively next time, and forget it as soon as the
 * server answers 402 to it. The query string is left out of the key: prices and tokens
 * are per endpoint, not per query.
 */
export class CredentialCache {
  private readonly authorizationByKey = new Map<string, string>();

  get(method: string, url: string): string | undefined {
    return this.authorizationByKey.get(keyOf(method, url));
  }

  set(method: string, url: string, authorization: string): void {
    this.authorizationByKey.set(keyOf(method, url), authorization);
  }

  /** Forgets a refused credential, unless a concurrent call has stored a newer one meanwhile. */
  forget(method: string, url: string, authorization: string): void {
    const key = keyOf(method, url);
    if (this.authorizationByKey.get(key) === authorization) this.authorizationByKey.delete(key);
  }
}

function keyOf(method: string, url: string): string {
  const { origin, pathname } = new URL(url);
  return `${method.toUpperCase()} ${origin}${pathname}`;
}
