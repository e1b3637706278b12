// Where to go after sign-in or sign-up (?callbackUrl=): only a path on our own origin.
// Checking the string is not enough: browsers drop tab, CR and LF anywhere in a URL and
// read "\" as "/", so "/\t/evil.example" or "/\\evil.example" is "//evil.example" to them,
// another site. So: refuse control characters and backslashes outright, resolve the rest
// the way a browser would, and keep it only if it stays on our origin.
const FALLBACK = "/dashboard";
const PROBE_ORIGIN = "https://tollbooth.invalid";

export function safeCallback(url?: string | null): string {
  if (typeof url !== "string" || !url.startsWith("/")) return FALLBACK;
  if (/[\u0000-\u001f\u007f\\]/.test(url)) return FALLBACK;
  let resolved: URL;
  try {
    resolved = new URL(url, PROBE_ORIGIN);
  } catch {
    return FALLBACK;
  }
  if (resolved.origin !== PROBE_ORIGIN) return FALLBACK;
  // What we hand on is what we checked: the resolved path. Dot segments can resolve
  // "/.//evil.example" to "//evil.example", which would leave the site again.
  const path = `${resolved.pathname}${resolved.search}${resolved.hash}`;
  return path.startsWith("//") ? FALLBACK : path;
}
