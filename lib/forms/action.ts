// The body of a server action that answers its form: any domain error (a viewer's missing
// permission, another tenant's id, bad input) becomes form state, never a 500. Next's own
// control flow (the redirect to the sign-in page) is passed on untouched.
import { unstable_rethrow } from "next/navigation";
import { failure, type FormState } from "./state";

export async function formAction<T extends FormState>(values: Record<string, string>, run: () => Promise<T>): Promise<T | FormState> {
  try {
    return await run();
  } catch (error) {
    unstable_rethrow(error);
    return failure(error, values);
  }
}
