// What each audit action means to a person, for the audit log, the security log and exports.
// An action without a label here (one a later feature added) is shown as its words.
export const ACTION_LABELS: Record<string, string> = {
  "auth.sign_in": "Signed in",
  "auth.sign_in_failed": "Sign-in failed",
  "auth.sign_in_locked": "Sign-in refused while locked",
  "auth.lockout": "Locked out after failed sign-ins",
  "auth.sign_up": "Signed up",
  "tenant.created": "Workspace created",
  "tenant.settings_changed": "Settings changed",
  "tenant.lightning_address_changed": "Lightning address changed",
  "test_call.made": "Test call made",
  "invitation.created": "Member invited",
  "invitation.accepted": "Invitation accepted",
  "invitation.revoked": "Invitation revoked",
  "member.role_changed": "Member's role changed",
  "member.removed": "Member removed",
  "endpoint.created": "Endpoint added",
  "endpoint.updated": "Endpoint edited",
  "endpoint.pinned": "Endpoint price pinned",
  "endpoint.enabled": "Endpoint enabled",
  "endpoint.disabled": "Endpoint disabled",
  "endpoint.deleted": "Endpoint deleted",
  "api_key.created": "API key created",
  "api_key.rotated": "API key rotated",
  "api_key.revoked": "API key revoked",
  "operator.tenant_suspended": "Workspace suspended by the operator",
  "operator.tenant_unsuspended": "Workspace unsuspended by the operator",
  "operator.job_retried": "Failed job retried by the operator",
};

export function actionLabel(action: string): string {
  const known = ACTION_LABELS[action];
  if (known) return known;
  const words = action.replace(/[._]/g, " ").trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** What the security log shows: sign-ins and their failures and locks, payouts, address
 *  changes, and whatever an operator did. Entries ending in "." are prefixes. */
export const SECURITY_ACTIONS = [
  "auth.sign_in",
  "auth.sign_in_failed",
  "auth.sign_in_locked",
  "auth.lockout",
  "tenant.lightning_address_changed",
  "payout.",
  "operator.",
] as const;
