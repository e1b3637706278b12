// Who did an operator action: a signed-in operator in the console, or a holder of the
// operator API token. Every operator action is audited with this as its actor; the event's
// metadata says it was an operator, so an owner's audit log shows "Platform operator".
import type { AuditInput } from "../audit/record";

export type OperatorActor = { kind: "user"; userId: string; email: string } | { kind: "token" };

/** The label the audit log keeps for a token holder (there is no user to name). */
export const OPERATOR_TOKEN_LABEL = "operator (API token)";

export function operatorAuditFields(actor: OperatorActor): Pick<AuditInput, "actorUserId" | "actorLabel"> & {
  metadata: { operator: true; via: "console" | "api" };
} {
  return actor.kind === "user"
    ? { actorUserId: actor.userId, actorLabel: actor.email, metadata: { operator: true, via: "console" } }
    : { actorUserId: null, actorLabel: OPERATOR_TOKEN_LABEL, metadata: { operator: true, via: "api" } };
}
