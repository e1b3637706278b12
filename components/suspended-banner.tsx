/** Across every dashboard page of a workspace a platform operator suspended: its API keys
 *  are refused (403 tenant_suspended) until the operator lifts it. The reason is shown to
 *  the workspace's members only, never to API callers. */
export function SuspendedBanner({ reason }: { reason: string | null }) {
  return (
    <div role="alert" className="bg-red-700 px-4 py-2 text-center text-sm font-medium text-white" data-testid="suspended-banner">
      This workspace is suspended by the platform operator: its API keys are refused and no payments can be taken.
      {reason ? <span className="font-normal"> Reason: {reason.replace(/[.\s]+$/, "")}.</span> : null} Contact the platform operator to lift
      it.
    </div>
  );
}
