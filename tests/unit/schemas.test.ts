import { describe, expect, it } from "vitest";
import { signUpSchema } from "../../lib/auth/schemas";
import { createInvitationSchema } from "../../lib/tenants/schemas";
import { safeCallback } from "../../lib/forms/callback";
import { failure, formValues } from "../../lib/forms/state";
import { AppError } from "../../lib/errors";

const valid = { email: "Owner@Example.COM ", password: "long enough password", tenantName: "Acme" };

function firstError(input: unknown) {
  const result = signUpSchema.safeParse(input);
  return result.success ? undefined : { path: result.error.issues[0].path.join("."), message: result.error.issues[0].message };
}

describe("sign-up validation", () => {
  it("normalises the email", () => {
    expect(signUpSchema.parse(valid).email).toBe("owner@example.com");
  });

  it.each([
    [{ ...valid, email: "" }, "email", "Enter your email address."],
    [{ ...valid, email: "not-an-email" }, "email", "Enter a valid email address, like you@example.com."],
    [{ ...valid, email: `${"a".repeat(250)}@example.com` }, "email", "That email address is too long (254 characters at most)."],
    [{ ...valid, email: 42 }, "email", "Enter your email address."],
    [{ ...valid, password: "short" }, "password", "Use at least 10 characters for your password."],
    [{ ...valid, password: "x".repeat(201) }, "password", "That password is too long (200 characters at most)."],
    [{ ...valid, password: undefined }, "password", "Enter a password."],
    [{ ...valid, tenantName: " " }, "tenantName", "Workspace names need at least 2 characters."],
    [{ ...valid, tenantName: "x".repeat(81) }, "tenantName", "Workspace names can be 80 characters at most."],
  ])("refuses %j with a clear message", (input, path, message) => {
    expect(firstError(input)).toEqual({ path, message });
  });

  it("treats an empty invitation email as a link for anyone", () => {
    expect(createInvitationSchema.parse({ email: "", role: "viewer" })).toEqual({ email: undefined, role: "viewer" });
    expect(createInvitationSchema.safeParse({ role: "superuser" }).success).toBe(false);
  });
});

describe("form helpers", () => {
  it("never echoes the password back into the form", () => {
    const data = new FormData();
    data.set("email", "a@b.co");
    data.set("password", "secret secret");
    expect(formValues(data)).toEqual({ email: "a@b.co" });
  });

  it("puts a domain error on its field", () => {
    expect(failure(new AppError("conflict_error", "email_taken", "Taken.", { param: "email" }))).toEqual({
      ok: false,
      fieldErrors: { email: "Taken." },
      values: undefined,
    });
  });

  it("only follows same-site callback URLs", () => {
    expect(safeCallback("/invite/abc")).toBe("/invite/abc");
    expect(safeCallback("https://evil.example")).toBe("/dashboard");
    expect(safeCallback("//evil.example")).toBe("/dashboard");
    expect(safeCallback("/\\evil.example")).toBe("/dashboard");
    expect(safeCallback(undefined)).toBe("/dashboard");
  });
});
