// Endpoint path patterns: exact ("/premium"), named segments ("/users/:id") and a trailing
// wildcard ("/files/*", matching anything below /files/). Query strings are ignored.

export function isPathPattern(pattern: string): boolean {
  if (!/^\/[A-Za-z0-9._~!$&'()+,;=:@%/-]*(\*)?$/.test(pattern) || pattern.slice(0, -1).includes("*") || pattern.includes("//"))
    return false;
  // Only patterns a normalised request path can match: no dot segments, no trailing slash.
  const segments = pattern.split("/").slice(1);
  return !segments.some((segment) => segment === "." || segment === "..") && (pattern === "/" || !pattern.endsWith("/"));
}

// Case-insensitive, as Express routes by default (and Express hands the payer's own casing
// to the middleware as req.baseUrl): /PREMIUM/x and /premium/GOLD must resolve to the
// endpoints the owner priced, not around them.
const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

export function pathMatches(pattern: string, path: string): boolean {
  const requestPath = path.split("?")[0];
  if (same(pattern, requestPath)) return true;
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
    if (!same(part, pathParts[i])) return false;
  }
  return patternParts.length === pathParts.length;
}

/** Two patterns name the same endpoint (paths compare without case, as they match). */
export function samePattern(a: string, b: string): boolean {
  return same(a, b);
}

const segmentRank = (segment: string) => (segment === "*" ? 2 : segment.startsWith(":") ? 1 : 0);

/**
 * Sort order, most specific first, segment by segment as routers rank routes: a literal
 * segment beats a :param, which beats the * wildcard; with equal segments the longer
 * pattern wins. So /users/:id/files/* comes before /users/*, and /users/admin before
 * /users/:id.
 */
export function compareSpecificity(a: string, b: string): number {
  const aParts = a.split("/");
  const bParts = b.split("/");
  for (let i = 0; i < Math.min(aParts.length, bParts.length); i++) {
    const difference = segmentRank(aParts[i]) - segmentRank(bParts[i]);
    if (difference !== 0) return difference;
  }
  return bParts.length - aParts.length;
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
