// Stats queries are built with Prisma.sql (parameters stay parameters) and run on pg directly
// (bulkQuery): they return hundreds to thousands of rows, and Prisma's per-row
// deserialisation cost more than the queries themselves (bench/README.md, dashboard).
import { bulkQuery, type Db } from "../db/client";
import type { Prisma } from "../db/generated/client";

export function queryRows<Row>(db: Db, sql: Prisma.Sql): Promise<Row[]> {
  return bulkQuery<Row>(db, sql.text, sql.values);
}

/** SQL: a timestamptz as the ISO 8601 text JavaScript's toISOString() gives (ms, UTC). */
export const isoSql = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
