"use server";
import { getDb } from "@/lib/db/client";
import { createAccount } from "@/lib/tenants/accounts";
import { currentRequestContext } from "@/lib/auth/session";
import { failure, formValues, type FormState } from "@/lib/forms/state";

export async function signUpAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const values = formValues(formData);
  try {
    await createAccount(
      getDb(),
      {
        email: formData.get("email") ?? "",
        password: formData.get("password") ?? "",
        name: formData.get("name") ?? "",
        tenantName: formData.get("tenantName") ?? "",
      },
      await currentRequestContext(),
    );
    return { ok: true, values };
  } catch (error) {
    return failure(error, values);
  }
}
