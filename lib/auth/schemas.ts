// Form and API input for accounts. One place, so the sign-up form, the CLI and the tests
// agree on what is valid.
import { z } from "zod";
import { safeText } from "../schemas/text";

export const emailSchema = z
  .string({ error: "Enter your email address." })
  .trim()
  .min(1, "Enter your email address.")
  .max(254, "That email address is too long (254 characters at most).")
  .pipe(z.email("Enter a valid email address, like you@example.com."))
  .transform((email) => email.toLowerCase());

export const passwordSchema = z
  .string({ error: "Enter a password." })
  .min(10, "Use at least 10 characters for your password.")
  .max(200, "That password is too long (200 characters at most).");

export const tenantNameSchema = safeText({ error: "Name your workspace." })
  .trim()
  .min(2, "Workspace names need at least 2 characters.")
  .max(80, "Workspace names can be 80 characters at most.");

export const personNameSchema = safeText().trim().max(100, "Names can be 100 characters at most.").optional();

export const signUpSchema = z.object({
  email: emailSchema,
  password: passwordSchema,
  name: personNameSchema,
  tenantName: tenantNameSchema,
});
export type SignUpInput = z.infer<typeof signUpSchema>;

export const signInSchema = z.object({
  email: emailSchema,
  password: z.string().min(1, "Enter your password.").max(200, "That password is too long."),
});
