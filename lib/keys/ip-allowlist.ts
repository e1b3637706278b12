// Client IP allow-lists for API keys: exact addresses or CIDR ranges, IPv4 and IPv6.
import { isIP } from "node:net";

/** An address as a number (IPv4-mapped IPv6 read as IPv4); null when it is not one. */
export function parseIp(ip: string): { value: bigint; bits: 32 | 128 } | null {
  const mapped = ip.startsWith("::ffff:") && isIP(ip.slice(7)) === 4 ? ip.slice(7) : ip;
  if (isIP(mapped) === 4) {
    return { value: mapped.split(".").reduce((acc, octet) => (acc << 8n) + BigInt(Number(octet)), 0n), bits: 32 };
  }
  if (isIP(mapped) === 6) {
    const [head, tail = ""] = mapped.split("::");
    const headParts = head ? head.split(":") : [];
    const tailParts = mapped.includes("::") ? (tail ? tail.split(":") : []) : [];
    const groups = [...headParts, ...Array(8 - headParts.length - tailParts.length).fill("0"), ...tailParts];
    return { value: groups.reduce((acc, group) => (acc << 16n) + BigInt(parseInt(group || "0", 16)), 0n), bits: 128 };
  }
  return null;
}

/** "203.0.113.0/24", "2001:db8::/32" or a bare address. */
export function isValidIpRule(rule: string): boolean {
  const [address, prefix] = rule.split("/");
  const parsed = parseIp(address);
  if (!parsed) return false;
  if (prefix === undefined) return true;
  const length = Number(prefix);
  return /^\d+$/.test(prefix) && length >= 0 && length <= parsed.bits;
}

export function ipAllowed(ip: string | null | undefined, rules: string[]): boolean {
  if (rules.length === 0) return true;
  if (!ip) return false;
  const client = parseIp(ip);
  if (!client) return false;
  return rules.some((rule) => {
    const [address, prefix] = rule.split("/");
    const range = parseIp(address);
    if (!range || range.bits !== client.bits) return false;
    const length = prefix === undefined ? range.bits : Number(prefix);
    const shift = BigInt(range.bits - length);
    return client.value >> shift === range.value >> shift;
  });
}

// Loopback, private, link-local, shared (CGNAT), unspecified and multicast ranges, and their
// IPv6 counterparts: where a server-side fetch of a URL a user typed must never go (SSRF).
const NON_PUBLIC_RANGES = [
  "0.0.0.0/8",
  "10.0.0.0/8",
  "100.64.0.0/10",
  "127.0.0.0/8",
  "169.254.0.0/16",
  "172.16.0.0/12",
  "192.0.0.0/24",
  "192.168.0.0/16",
  "198.18.0.0/15",
  "224.0.0.0/3",
  // Unspecified, loopback and the deprecated IPv4-compatible ::a.b.c.d.
  "::/96",
  "fc00::/7",
  "fe80::/10",
  "ff00::/8",
];

/** True for an address on the public internet (IPv4-mapped IPv6 counts as its IPv4). */
export function isPublicIp(ip: string): boolean {
  const parsed = parseIp(ip);
  if (!parsed) return false;
  // IPv4-mapped in hex form (::ffff:7f00:1: how URLs and some resolvers write ::ffff:127.0.0.1).
  if (parsed.bits === 128 && parsed.value >> 32n === 0xffffn) {
    const v4 = parsed.value & 0xffffffffn;
    return isPublicIp([24n, 16n, 8n, 0n].map((shift) => (v4 >> shift) & 0xffn).join("."));
  }
  return !ipAllowed(ip, NON_PUBLIC_RANGES);
}
