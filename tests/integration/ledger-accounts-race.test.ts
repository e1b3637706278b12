// The first settlements of a new tenant race to create its ledger accounts. Before: the
// INSERT's ON CONFLICT named only the primary key, so a concurrent insert that collided on
// the (id, mode) unique index failed with 23505 and the verify answered 500 (found by the
// invoice-service bench's concurrent warm-up).
import { afterAll, beforeAll, expect, it } from "vitest";
import { createTestDatabase, usingRealPostgres, type TestDatabase } from "../helpers/database";
import { accounts } from "../../lib/ledger/accounts";
import { ensureAccounts } from "../../lib/ledger/post";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t.drop();
});

it.runIf(usingRealPostgres)("concurrent first uses of the same accounts all succeed (real Postgres)", async () => {
  for (let round = 0; round < 5; round++) {
    const refs = [accounts.tenantAvailable("test", `race-tenant-${round}`), accounts.tenantPendingPayout("live", `race-tenant-${round}`)];
    await expect(Promise.all(Array.from({ length: 20 }, () => ensureAccounts(t.db, refs)))).resolves.toBeDefined();
    expect(await t.db.ledgerAccount.count({ where: { tenantId: `race-tenant-${round}` } })).toBe(2);
  }
});
