// The payer's address, as the middleware forwards it (`payerIp` in the body of POST
// /v1/invoices and /v1/l402/verify), turned into the key of that payer's challenge bucket.
// The caller is the owner's server, authenticated by its API key, so the value is as
// trustworthy as the owner's own view of its client.
import { isIP } from "node:net";

/**
 * IPv4 as it is; IPv6 by its /64, the block one subscriber is given, so rotating addresses
 * inside it does not buy a fresh budget. IPv4-mapped IPv6 (::ffff:a.b.c.d) is the IPv4
 * address. undefined when absent or not an IP address: such a challenge is then counted
 * only against the key's own challenge ceiling.
 */
export function payerBucket(payerIp: string | undefined): string | undefined {
  if (!payerIp || payerIp.length > 100) return undefined;
  const address = payerIp.trim().replace(/%.*$/, "").toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(address);
  const plain = mapped ? mapped[1]! : address;
  const version = isIP(plain);
  if (version === 4) return plain;
  if (version === 6) return `${ipv6Groups(plain).slice(0, 4).join(":")}::/64`;
  return undefined;
}

/** The eight 16-bit groups of a valid IPv6 address, as short hex. */
function ipv6Groups(address: string): string[] {
  // A trailing dotted quad (::1.2.3.4, 64:ff9b::1.2.3.4) is the last two groups.
  const withoutQuad = address.replace(
    /(\d+)\.(\d+)\.(\d+)\.(\d+)$/,
    (_all, a, b, c, d) => `${((Number(a) << 8) | Number(b)).toString(16)}:${((Number(c) << 8) | Number(d)).toString(16)}`,
  );
  const [head, tail] = withoutQuad.split("::");
  const headGroups = head ? head.split(":") : [];
  const tailGroups = tail ? tail.split(":") : [];
  const zeros = tail === undefined ? [] : Array<string>(8 - headGroups.length - tailGroups.length).fill("0");
  return [...headGroups, ...zeros, ...tailGroups].map((group) => Number.parseInt(group, 16).toString(16));
}
