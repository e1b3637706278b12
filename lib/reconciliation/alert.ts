// A reconciliation difference found in two runs in a row is raised once: marked alerted and
// published as the operator's `reconciliation.mismatch` webhook (OPERATOR_WEBHOOK_URL) in one transaction,
// so a crash between the two neither loses the alert nor sends it twice; and logged, so an
// operator without the webhook still sees it.
import type { Db } from "../db/client";
import type { ReconciliationRun } from "../db/generated/client";
import { componentLogger } from "../log/logger";
import { publishOperatorEvent } from "../webhooks/publish";
import { takeUnalertedMismatches } from "./queries";

const log = componentLogger("reconciliation");

export async function alertMismatches(db: Db): Promise<number> {
  const runs = await db.$transaction(async (tx) => {
    const mismatched: ReconciliationRun[] = [];
    for (const run of await takeUnalertedMismatches(tx)) {
      // A difference seen once can be in flight (the backend is read apart from the
      // ledger); the same difference in the mode's previous run as well is not.
      const previous = await tx.reconciliationRun.findFirst({
        where: { mode: run.mode, createdAt: { lt: run.createdAt } },
        orderBy: { createdAt: "desc" },
      });
      const persistent =
        previous !== null &&
        !previous.matched &&
        previous.flowDifferenceMsat === run.flowDifferenceMsat &&
        previous.backendDifferenceMsat === run.backendDifferenceMsat;
      if (persistent) mismatched.push(run);
    }
    for (const run of mismatched) {
      await publishOperatorEvent(tx, {
        type: "reconciliation.mismatch",
        idempotencyKey: `reconciliation.mismatch:${run.id}`,
        data: {
          runId: run.id,
          mode: run.mode,
          backend: run.backend,
          ledgerLightningMsat: run.ledgerLightningMsat.toString(),
          backendBalanceMsat: run.backendBalanceMsat?.toString() ?? null,
          backendError: run.backendError,
          flowMsat: run.flowMsat.toString(),
          backendDifferenceMsat: run.backendDifferenceMsat?.toString() ?? null,
          flowDifferenceMsat: run.flowDifferenceMsat.toString(),
          checkedAt: run.createdAt.toISOString(),
        },
      });
    }
    return mismatched;
  });
  for (const run of runs) {
    log.error(
      {
        mode: run.mode,
        ledgerMsat: run.ledgerLightningMsat.toString(),
        backendMsat: run.backendBalanceMsat?.toString() ?? null,
        flowMsat: run.flowMsat.toString(),
      },
      "the ledger's Lightning holdings do not match",
    );
  }
  return runs.length;
}
