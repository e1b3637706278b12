/** DATABASE_URL, or a clear error saying how to get one. */
export function databaseUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) {
    throw new Error("DATABASE_URL is not set. Run `npm run dev` (it starts an embedded Postgres) or set DATABASE_URL to a Postgres URL.");
  }
  return url;
}
