// Endpoint path patterns: exact ("/premium"), named segments ("/users/:id") and a trailing
// wildcard ("/files/*", matching anything below /files/). Query strings are ignored.

export function isPathPattern(pattern: string): boolean {
  return /^\/[A-Za-z0-9._~!$&'()+,;=:@%/-]*(\*)?$/.test(pattern) && !pattern.slice(0, -1).includes("*") && !pattern.includes("//");
}

export function pathMatches(pattern: string, path: string): boolean {
  const requestPath = path.split("?")[0];
  if (pattern === requestPath) return true;
  const patternParts = pattern.split("/");
  const pathParts = requestPath.split("/");
  for (let i = 0; i < patternParts.length; i++) {
    const part = patternParts[i];
    if (part === "*" && i === patternParts.length - 1) return pathParts.length > i && pathParts.slice(i).join("/") !== "";
    if (i >= pathParts.length) return false;
    if (part.startsWith(":") && part.length > 1) {
      if (pathParts[i] === "") return false;
      continue;
    }
    if (part !== pathParts[i]) return false;
  }
  return patternParts.length === pathParts.length;
}

/** More specific patterns first: exact, then fewer parameters, then wildcards. */
export function patternSpecificity(pattern: string): number {
  const params = pattern.split("/").filter((part) => part.startsWith(":")).length;
  return (pattern.endsWith("*") ? 1000 : 0) + params * 10 - pattern.length / 1000;
}

const UNRESERVED = /[A-Za-z0-9\-._~]/;

/**
 * A payer's request path as the endpoint registry sees it: the query dropped, percent
 * escapes of unreserved characters decoded (so `%2e%2e` is `..`), other escapes in upper
 * case, `//` collapsed, `.` / `..` segments resolved (never above the root) and a
 * trailing slash dropped (as Express's default routing does), so `/files/../admin` is
 * `/admin` and no token for `/files/*` serves it. Always literal:
 * the result is only ever matched against patterns, never registered as one.
 */
export function normalizeRequestPath(rawPath: string): string {
  const withoutQuery = rawPath.split(/[?#]/)[0] || "/";
  const decoded = withoutQuery.replace(/%([0-9A-Fa-f]{2})/g, (percentEscape, hex: string) => {
    const character = String.fromCharCode(parseInt(hex, 16));
    return UNRESERVED.test(character) ? character : percentEscape.toUpperCase();
  });
  const segments: string[] = [];
  for (const segment of decoded.split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment === "..") segments.pop();
    else segments.push(segment);
  }
  return `/${segments.join("/")}`;
}
