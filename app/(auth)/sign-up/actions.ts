"use server";
import { getDb } from "@/lib/db/client";
import { createAccount } from "@/lib/tenants/accounts";
import { currentRequestContext } from "@/lib/auth/session";
import { formAction } from "@/lib/forms/action";
import type { FormState } from "@/lib/forms/state";

export async function signUpAction(_previous: FormState, formData: FormData): Promise<FormState> {
  return formAction(formData, async (form, values) => {
    await createAccount(
      getDb(),
      {
        email: form.get("email") ?? "",
        password: form.get("password") ?? "",
        name: form.get("name") ?? "",
        tenantName: form.get("tenantName") ?? "",
      },
      await currentRequestContext(),
    );
    return { ok: true, values };
  });
}
