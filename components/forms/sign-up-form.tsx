"use client";
import { useActionState } from "react";
import { useRouter } from "next/navigation";
import { signIn } from "next-auth/react";
import { signUpAction } from "@/app/(auth)/sign-up/actions";
import { initialFormState, type FormState } from "@/lib/forms/state";
import { Field, FormError } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/button";

export function SignUpForm({ callbackUrl }: { callbackUrl: string }) {
  const router = useRouter();
  const [state, action] = useActionState(async (previous: FormState, formData: FormData): Promise<FormState> => {
    const result = await signUpAction(previous, formData);
    if (!result.ok) return result;
    // The account exists; sign in with what was just typed and go on.
    const signedIn = await signIn("credentials", { email: formData.get("email"), password: formData.get("password"), redirect: false });
    if (signedIn?.error) return { ok: false, message: signedIn.error, values: result.values };
    router.push(callbackUrl);
    router.refresh();
    return result;
  }, initialFormState);

  const errors = state.fieldErrors ?? {};
  return (
    <form action={action} className="space-y-4" noValidate>
      <FormError message={state.message} />
      <Field
        label="Work email"
        name="email"
        type="email"
        autoComplete="email"
        required
        maxLength={254}
        defaultValue={state.values?.email}
        error={errors.email}
      />
      <Field
        label="Password"
        name="password"
        type="password"
        autoComplete="new-password"
        required
        minLength={10}
        hint="At least 10 characters."
        error={errors.password}
      />
      <Field
        label="Your name (optional)"
        name="name"
        autoComplete="name"
        maxLength={100}
        defaultValue={state.values?.name}
        error={errors.name}
      />
      <Field
        label="Workspace name"
        name="tenantName"
        required
        maxLength={80}
        placeholder="Acme Weather API"
        defaultValue={state.values?.tenantName}
        error={errors.tenantName}
      />
      <SubmitButton className="w-full" pendingText="Creating your account…">
        Create account
      </SubmitButton>
    </form>
  );
}
