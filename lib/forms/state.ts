// What a server action hands back to its form: a message, per-field errors, and the
// values to put back so nothing typed is lost. Passwords are never echoed.
import { AppError } from "../errors";
import { isDatabaseUnavailable } from "../db/errors";

export interface FormState {
  ok: boolean;
  message?: string;
  fieldErrors?: Record<string, string>;
  values?: Record<string, string>;
}

export const initialFormState: FormState = { ok: false };

export function formValues(formData: FormData, omit: string[] = ["password"]): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, value] of formData.entries()) {
    if (typeof value === "string" && !omit.includes(key) && !key.startsWith("$")) values[key] = value.slice(0, 500);
  }
  return values;
}

/** Domain errors become a message on the field they are about; anything else is logged
 *  and shown as a generic failure (no internals leak into the page). */
export function failure(error: unknown, values?: Record<string, string>): FormState {
  if (error instanceof AppError) {
    return error.param
      ? // "allowedIps.2" is about the allowedIps field.
        { ok: false, fieldErrors: { [error.param.split(".")[0]]: error.message }, values }
      : { ok: false, message: error.message, values };
  }
  if (isDatabaseUnavailable(error)) {
    console.error(`[form] database unavailable: ${(error as Error).message.trim().split("\n").pop()}`);
    return { ok: false, message: "Tollbooth cannot reach its database right now. Try again in a few seconds.", values };
  }
  console.error("[form] unexpected error", error);
  return { ok: false, message: "Something went wrong on our side. Please try again.", values };
}

/** The one line a small form shows: its message, or the first field error (for forms whose
 *  only fields are hidden, like a Revoke button). */
export function formMessage(state: FormState): string | undefined {
  return state.message ?? Object.values(state.fieldErrors ?? {})[0];
}
