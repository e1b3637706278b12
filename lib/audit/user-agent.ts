// A user agent as a person reads it ("Chrome 131 on macOS"); the full string stays
// available on hover or expand. Good enough for telling sessions apart, not a parser.
const BROWSERS: [RegExp, string][] = [
  [/Edg\/(\d+)/, "Edge"],
  [/OPR\/(\d+)/, "Opera"],
  [/Firefox\/(\d+)/, "Firefox"],
  [/Chrom(?:e|ium)\/(\d+)/, "Chrome"],
  [/Version\/(\d+)[^ ]* (?:Mobile\/\S+ )?Safari/, "Safari"],
  [/curl\/(\d+)/, "curl"],
  [/node(?:-fetch)?\/?(\d*)/i, "Node"],
];
const SYSTEMS: [RegExp, string][] = [
  [/iPhone|iPad/, "iOS"],
  [/Android/, "Android"],
  [/Mac OS X|Macintosh/, "macOS"],
  [/Windows/, "Windows"],
  [/CrOS/, "ChromeOS"],
  [/Linux/, "Linux"],
];

export function shortUserAgent(userAgent: string | null | undefined): string {
  if (!userAgent) return "—";
  const browser = BROWSERS.map(([pattern, name]) => {
    const match = userAgent.match(pattern);
    return match ? `${name}${match[1] ? ` ${match[1]}` : ""}` : null;
  }).find(Boolean);
  const system = SYSTEMS.find(([pattern]) => pattern.test(userAgent))?.[1];
  if (!browser) return userAgent.length > 40 ? `${userAgent.slice(0, 39)}…` : userAgent;
  return system ? `${browser} on ${system}` : browser;
}
