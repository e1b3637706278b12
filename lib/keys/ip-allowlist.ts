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
