// Server actions never answer 500 to bad input: formAction turns every refusal into form
// state, and the proxy's guard answers the requests Next itself would fail (cross-site,
// undecodable, too large) with a 4xx. tests/e2e/form-errors.spec.ts checks both in the
// running app.
import { redirect } from "next/navigation";
import { describe, expect, it } from "vitest";
import { AppError } from "../../lib/errors";
import { formAction, MALFORMED_FORM_MESSAGE } from "../../lib/forms/action";
import { refuseBadServerAction, SERVER_ACTION_BODY_LIMIT_BYTES } from "../../lib/forms/action-guard";
import { formMessage, type FormState } from "../../lib/forms/state";

function form(fields: Record<string, string>) {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) data.set(name, value);
  return data;
}

describe("formAction", () => {
  it("passes a good submission through", async () => {
    await expect(formAction(form({ name: "Acme" }), async (_form, values) => ({ ok: true, values }))).resolves.toEqual({
      ok: true,
      values: { name: "Acme" },
    });
  });

  it("shows a permission refusal, and a field's error on the field, with what was typed", async () => {
    const refused = await formAction(form({ name: "Acme", password: "secret secret" }), async () => {
      throw new AppError("permission_error", "forbidden", "Your role (viewer) cannot do this.");
    });
    expect(refused).toEqual({ ok: false, message: "Your role (viewer) cannot do this.", values: { name: "Acme" } });
    const invalid = await formAction(form({ invitationId: "x" }), async () => {
      throw new AppError("invalid_request_error", "invalid_invitation", "Choose an invitation.", { param: "invitationId" });
    });
    expect(formMessage(invalid)).toBe("Choose an invitation.");
  });

  it("answers arguments that are not a form without running the action", async () => {
    let ran = false;
    for (const notAForm of [undefined, null, "x", 42, {}, [], { get: () => "forged" }]) {
      const state = await formAction(notAForm, async () => {
        ran = true;
        return { ok: true };
      });
      expect(state).toEqual({ ok: false, message: MALFORMED_FORM_MESSAGE });
    }
    expect(ran).toBe(false);
  });

  it("says the database is unreachable rather than 'something went wrong'", async () => {
    const state = await formAction<FormState>(form({}), async () => {
      throw Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" });
    });
    expect(state.message).toMatch(/cannot reach its database/);
  });

  it("lets Next's redirect() through", async () => {
    await expect(formAction(form({}), async () => redirect("/dashboard"))).rejects.toMatchObject({
      digest: expect.stringContaining("NEXT_REDIRECT"),
    });
  });
});

describe("refuseBadServerAction", () => {
  const url = "http://app.example/dashboard/settings";
  const action = (headers: Record<string, string>, body: BodyInit | null = '["$K1"]') =>
    new Request(url, {
      method: "POST",
      headers: { host: "app.example", "next-action": "7f00", "content-type": "text/plain;charset=UTF-8", ...headers },
      body,
    });
  const multipart = (headers: Record<string, string>) => {
    const body = form({ "1_name": "Acme", "0": '["$K1"]' });
    const request = new Request(url, { method: "POST", body });
    return new Request(url, {
      method: "POST",
      headers: { host: "app.example", "content-type": request.headers.get("content-type")!, ...headers },
      body: request.body,
      duplex: "half",
    } as RequestInit);
  };

  async function expectRefused(request: Request, status: number, message: RegExp) {
    const response = await refuseBadServerAction(request);
    expect(response?.status).toBe(status);
    expect(await response!.text()).toMatch(message);
  }

  it("lets same-site actions, Origin-less requests and everything else through", async () => {
    expect(await refuseBadServerAction(action({ origin: "http://app.example" }))).toBeUndefined();
    expect(await refuseBadServerAction(action({}))).toBeUndefined();
    expect(await refuseBadServerAction(multipart({ origin: "http://app.example" }))).toBeUndefined();
    expect(
      await refuseBadServerAction(action({ origin: "https://proxy.example", "x-forwarded-host": "proxy.example, internal" })),
    ).toBeUndefined();
    expect(await refuseBadServerAction(new Request(url, { headers: { origin: "http://evil.example" } }))).toBeUndefined();
    expect(
      await refuseBadServerAction(
        new Request(url, {
          method: "POST",
          headers: { origin: "http://evil.example", "content-type": "application/x-www-form-urlencoded" },
          body: "a=1",
        }),
      ),
    ).toBeUndefined();
  });

  it("leaves the body for Next to read", async () => {
    const request = multipart({ origin: "http://app.example" });
    expect(await refuseBadServerAction(request)).toBeUndefined();
    expect((await request.formData()).get("1_name")).toBe("Acme");
  });

  it("refuses cross-site submissions with 403, with and without JavaScript", async () => {
    await expectRefused(action({ origin: "http://evil.example" }), 403, /sent from http:\/\/evil\.example, not from app\.example/);
    await expectRefused(multipart({ origin: "http://evil.example" }), 403, /only accepted from the site's own pages/);
    await expectRefused(action({ origin: "null" }), 403, /sent from null/);
    await expectRefused(action({ origin: "http://app.example", "x-forwarded-host": "other.example" }), 403, /not from other\.example/);
    await expectRefused(action({ origin: "not a url" }), 400, /not a URL/);
  });

  it("refuses bodies Next could not decode with 400", async () => {
    await expectRefused(action({ origin: "http://app.example" }, "{garbage"), 400, /could not be read/);
    await expectRefused(action({ origin: "http://app.example" }, new Uint8Array([0x5b, 0xff, 0x5d])), 400, /could not be read/);
    await expectRefused(
      action({ origin: "http://app.example", "content-type": "multipart/form-data; boundary=zzz" }, "not multipart at all"),
      400,
      /could not be read/,
    );
  });

  it("refuses bodies over Next's limit with 413, announced or not", async () => {
    await expectRefused(
      action({ origin: "http://app.example", "content-length": String(SERVER_ACTION_BODY_LIMIT_BYTES + 1) }),
      413,
      /at most/,
    );
    await expectRefused(action({ origin: "http://app.example" }, `"${"a".repeat(SERVER_ACTION_BODY_LIMIT_BYTES)}"`), 413, /at most/);
  });
});
