import { randomBytes } from "node:crypto";

/** "Acme Weather API" → "acme-weather-api-3f9a": readable, and unique without a lookup loop. */
export function slugFor(name: string): string {
  const base =
    name
      .toLowerCase()
      .normalize("NFKD")
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 40) || "workspace";
  return `${base}-${randomBytes(2).toString("hex")}`;
}
