// Who may use the operator console: signed-in users whose email is in PLATFORM_ADMIN_EMAILS
// (comma-separated, any case), from an address ADMIN_ALLOWED_IPS allows (IPs or CIDRs;
// unset: any). Everyone else is told nothing: /admin answers 404, /api/admin/* 401 or 403.
import { ipAllowed, isValidIpRule } from "../keys/ip-allowlist";

export function operatorEmails(value = process.env.PLATFORM_ADMIN_EMAILS): Set<string> {
  return new Set(
    (value ?? "")
      .split(",")
      .map((email) => email.trim().toLowerCase())
      .filter(Boolean),
  );
}

export function isOperatorEmail(email: string | null | undefined, value = process.env.PLATFORM_ADMIN_EMAILS): boolean {
  return Boolean(email) && operatorEmails(value).has(email!.trim().toLowerCase());
}

/** The allow-list's rules; null when there is none (every address may try). */
export function adminIpRules(value = process.env.ADMIN_ALLOWED_IPS): string[] | null {
  const entries = (value ?? "")
    .split(",")
    .map((rule) => rule.trim())
    .filter(Boolean);
  return entries.length === 0 ? null : entries;
}

/** Fails closed: with a list set, an unknown client address or a list of only malformed
 *  rules lets nobody in (a typo must not open the console to everyone). */
export function adminIpAllowed(ip: string | null | undefined, value = process.env.ADMIN_ALLOWED_IPS): boolean {
  const rules = adminIpRules(value);
  if (!rules) return true;
  const valid = rules.filter(isValidIpRule);
  return valid.length > 0 && ipAllowed(ip, valid);
}
