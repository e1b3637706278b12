// What /api/health reports: each part is "ok" or says what is wrong with it.
import { getDb } from "../db/client";
import { compareMigrations, readMigrations } from "../db/migrate";

const startedAt = Date.now();
const version = process.env.npm_package_version ?? "0.1.0";

export interface Health {
  status: "ok" | "degraded";
  db: string;
  migrations: string;
  lightning: string;
  version: string;
  uptimeSeconds: number;
}

export async function checkHealth(): Promise<Health> {
  let db = "ok";
  let migrations = "unknown";
  try {
    const prisma = getDb();
    await prisma.$queryRaw`SELECT 1`;
    const rows = await prisma.$queryRaw<
      { migration_name: string; checksum: string; finished_at: Date | null; rolled_back_at: Date | null }[]
    >`
      SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations"`.catch(() => []);
    const status = compareMigrations(
      readMigrations(),
      rows.filter((row) => row.rolled_back_at === null),
    );
    migrations =
      status.problems.length > 0
        ? status.problems.join("; ")
        : status.pending.length > 0
          ? `${status.pending.length} pending: ${status.pending.join(", ")}`
          : "up to date";
  } catch (error) {
    db = `unreachable: ${(error as Error).message.split("\n")[0]}`;
  }
  const healthy = db === "ok" && migrations === "up to date";
  return {
    status: healthy ? "ok" : "degraded",
    db,
    migrations,
    lightning: process.env.LIGHTNING_BACKEND ?? "simulated",
    version,
    uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
  };
}
