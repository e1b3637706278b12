// The test/live switch in the dashboard header. A plain form: works without JavaScript,
// and the server action re-renders every page in the chosen mode.
import { setModeAction } from "@/app/dashboard/actions";
import type { KeyMode } from "@/lib/keys/api-keys";

export function ModeSwitch({ mode, action = setModeAction }: { mode: KeyMode; action?: (formData: FormData) => Promise<void> }) {
  return (
    <form action={action} className="flex items-center" data-testid="mode-switch">
      <input type="hidden" name="mode" value={mode === "test" ? "live" : "test"} />
      <button
        type="submit"
        role="switch"
        aria-checked={mode === "test"}
        aria-label="Test mode"
        title={mode === "test" ? "Showing test data: switch to live" : "Showing live data: switch to test"}
        className="flex items-center gap-2 rounded-full border border-stone-300 bg-white px-2 py-1 text-xs font-medium text-stone-700 hover:bg-stone-100"
      >
        <span className={`relative inline-block h-4 w-7 rounded-full transition ${mode === "test" ? "bg-amber-500" : "bg-stone-300"}`}>
          <span
            className={`absolute top-0.5 h-3 w-3 rounded-full bg-white shadow transition ${mode === "test" ? "left-3.5" : "left-0.5"}`}
          />
        </span>
        Test mode
      </button>
    </form>
  );
}

/** The band across every dashboard page while test data is shown. */
export function TestModeBanner() {
  return (
    <div className="bg-amber-100 px-4 py-1 text-center text-xs font-medium text-amber-900" data-testid="test-mode-banner">
      Test mode: simulated Lightning, test keys and test payments only. No real money moves.
    </div>
  );
}
