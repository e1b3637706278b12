// Every server action runs its work through formAction, so whatever goes wrong comes back
// as form state the form shows (a permission refusal, invalid or missing fields, arguments
// that are not a form at all, a lost database) instead of a 500 and an error page.
// Next's own control flow (redirect(), notFound()) passes through untouched.
import { unstable_rethrow } from "next/navigation";
import { failure, formValues, type FormState } from "./state";

export const MALFORMED_FORM_MESSAGE = "This form arrived incomplete or malformed. Reload the page and try again.";

/**
 * `formData` is whatever the request carried: a hand-made request can send any serialisable
 * arguments in its place, so it is checked before use. `work` gets the form and the values
 * to echo back (never the password). State types only add optional fields to FormState,
 * so a failure is a valid state for any form.
 */
export async function formAction<S extends FormState = FormState>(
  formData: unknown,
  work: (form: FormData, values: Record<string, string>) => Promise<S>,
  /** What a failed form shows again; default: one value per field (formValues). */
  options: { values?: (form: FormData) => Record<string, string> } = {},
): Promise<S> {
  if (!(formData instanceof FormData)) return { ok: false, message: MALFORMED_FORM_MESSAGE } as S;
  const values = (options.values ?? formValues)(formData);
  try {
    return await work(formData, values);
  } catch (error) {
    unstable_rethrow(error);
    return failure(error, values) as S;
  }
}
