// Endpoint path patterns: exact ("/premium"), named segments ("/users/:id") and a trailing
// wildcard ("/files/*", matching anything below /files/). Query strings are ignored.

export function isPathPattern(pattern: string): boolean {
  return /^\/[A-Za-z0-9._~!$&'()+,;=:@%\/-]*(\*)?$/.test(pattern) && !pattern.slice(0, -1).includes("*") && !pattern.includes("//");
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
