// Invitation tokens never reach the process output: Next's development request log prints
// every URL, and sign-in links carry the invitation path in ?callbackUrl=.
import { afterEach, describe, expect, it, vi } from "vitest";
import { REDACTED, redactProcessOutput, redactSecrets } from "../../lib/http/log-redaction";

const token = "Zk3_xYq-81bVnQ0aLmP2rT5uWc7eHs9d";

describe("redactSecrets", () => {
  it("redacts invitation paths, plain and percent-encoded, and token query parameters", () => {
    expect(redactSecrets(` GET /invite/${token} 200 in 41ms`)).toBe(` GET /invite/${REDACTED} 200 in 41ms`);
    expect(redactSecrets(`POST /invite/${token}?x=1 303`)).toBe(`POST /invite/${REDACTED}?x=1 303`);
    expect(redactSecrets(`GET /sign-in?callbackUrl=%2Finvite%2F${token} 200`)).toBe(`GET /sign-in?callbackUrl=%2Finvite%2F${REDACTED} 200`);
    expect(redactSecrets(`GET /sign-up?callbackUrl=%252finvite%252f${token}`)).not.toContain(token);
    expect(redactSecrets(`GET /accept?token=${token}&next=/x`)).toBe(`GET /accept?token=${REDACTED}&next=/x`);
    expect(redactSecrets(`GET /x?a=1&invite_token=${token}`)).toBe(`GET /x?a=1&invite_token=${REDACTED}`);
  });

  it("redacts API keys, L402 credentials, macaroons, preimages and URL passwords inside any text", () => {
    const apiKey = "tb_live_9s66DTJS5e4yHEx_VGXoyucv5w8LroAP2IKBA5eWB8M";
    const macaroon = `AgEEdGVzdAJCAADq${"x".repeat(60)}==`;
    const preimage = "ab".repeat(32);
    const cases = [
      `Authorization: Bearer ${apiKey}`,
      `{"authorization":"L402 ${macaroon}:${preimage}"}`,
      `LSAT ${"A".repeat(30)},${"B".repeat(20)}:${preimage.toUpperCase()}`,
      `macaroon=${macaroon}`,
      `{"preimage":"${preimage}"}`,
      `preimage=${preimage}`,
      "connect ECONNREFUSED postgres://app:s3cret-pass@db:5432/tollbooth",
    ];
    for (const line of cases) {
      const redacted = redactSecrets(line);
      expect(redacted).toContain(REDACTED);
      for (const secret of [apiKey.slice(8), macaroon.slice(3, 40), preimage, preimage.toUpperCase(), "s3cret-pass", "A".repeat(30)]) {
        expect(redacted).not.toContain(secret);
      }
    }
    // What stays: which kind of key, that it was a credential, the host of a URL.
    expect(redactSecrets(`Bearer ${apiKey}`)).toBe(`Bearer tb_live_${REDACTED}`);
    expect(redactSecrets("postgres://app:pw@db:5432/x")).toBe(`postgres://app:${REDACTED}@db:5432/x`);
  });

  it("leaves other lines alone", () => {
    for (const line of [
      " GET /dashboard/team 200 in 12ms",
      "Tollbooth app listening on http://localhost:3000",
      "GET /invitations 200",
      `GET /api/public/invoices/${"cd".repeat(32)}/status 200`, // a payment hash is not a secret
      "tb_test_ (a key's prefix alone)",
    ]) {
      expect(redactSecrets(line)).toBe(line);
    }
  });
});

describe("redactProcessOutput", () => {
  afterEach(() => vi.restoreAllMocks());

  it("filters strings and buffers written to stdout and stderr", () => {
    const written: unknown[] = [];
    const capture = (chunk: unknown) => {
      written.push(chunk);
      return true;
    };
    const stdout = vi.spyOn(process.stdout, "write").mockImplementation(capture as never);
    const stderr = vi.spyOn(process.stderr, "write").mockImplementation(capture as never);
    redactProcessOutput();
    redactProcessOutput(); // idempotent
    process.stdout.write(` GET /invite/${token} 200 in 5ms\n`);
    process.stderr.write(Buffer.from(`error at /invite/${token}\n`));
    const plain = Buffer.from("nothing secret\n");
    process.stdout.write(plain);
    stdout.mockRestore();
    stderr.mockRestore();
    expect(written.map(String)).toEqual([` GET /invite/${REDACTED} 200 in 5ms\n`, `error at /invite/${REDACTED}\n`, "nothing secret\n"]);
    expect(written[2]).toBe(plain);
  });
});
