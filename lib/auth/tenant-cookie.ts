// The active-workspace cookie: its name, and reading it from raw request headers (next-auth's
// authorize() gets those, not Next's cookie store), so a sign-in is recorded under the
// workspace it opens.
export const ACTIVE_TENANT_COOKIE = "tb_tenant";

type HeaderSource = Headers | Record<string, string | string[] | undefined> | undefined;

export function cookieValue(headers: HeaderSource, name: string): string | null {
  const raw = headers instanceof Headers ? headers.get("cookie") : headers?.cookie;
  const header = Array.isArray(raw) ? raw.join("; ") : raw;
  if (!header) return null;
  for (const part of header.split(";")) {
    const [key, ...rest] = part.trim().split("=");
    if (key === name) {
      try {
        return decodeURIComponent(rest.join("="));
      } catch {
        return null;
      }
    }
  }
  return null;
}
