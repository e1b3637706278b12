// verifyWebhook: Tollbooth-Signature: t=<unix>,v1=<hex HMAC-SHA256(secret, t + "." + raw body)>.
import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { signWebhook, verifyWebhook, WebhookVerificationError } from "../../packages/l402/src/index";

const secret = "whsec_test_5b1f0c0e";
const event = { id: "evt_123", type: "payment.settled", created: 1_795_000_000, data: { paymentHash: "ab".repeat(32), amountSats: 10 } };
const raw = JSON.stringify(event);
const now = () => Math.floor(Date.now() / 1000);
const nodeSignature = (t: number, body: string, key = secret) => createHmac("sha256", key).update(`${t}.${body}`).digest("hex");

function codeOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(WebhookVerificationError);
    return (error as WebhookVerificationError).code;
  }
  return "no error";
}

describe("verifyWebhook", () => {
  it("returns the event for a good signature (string or bytes body)", () => {
    const t = now();
    const header = `t=${t},v1=${nodeSignature(t, raw)}`;
    expect(verifyWebhook(raw, header, secret)).toEqual(event);
    expect(verifyWebhook(new TextEncoder().encode(raw), header, secret)).toEqual(event);
    expect(signWebhook(raw, secret, t)).toBe(header);
  });

  it("accepts any one matching v1 among several (secret rotation), spaces allowed", () => {
    const t = now();
    const header = `t=${t}, v1=${nodeSignature(t, raw, "old secret")}, v1=${nodeSignature(t, raw)}`;
    expect(verifyWebhook(raw, header, secret).id).toBe("evt_123");
  });

  it("rejects a wrong secret, a changed body, or a changed timestamp", () => {
    const t = now();
    const header = `t=${t},v1=${nodeSignature(t, raw)}`;
    expect(codeOf(() => verifyWebhook(raw, header, "another secret"))).toBe("signature_mismatch");
    expect(codeOf(() => verifyWebhook(raw.replace("10", "11"), header, secret))).toBe("signature_mismatch");
    expect(codeOf(() => verifyWebhook(raw, header.replace(`t=${t}`, `t=${t - 1}`), secret))).toBe("signature_mismatch");
  });

  it("rejects timestamps outside the tolerance, both ways", () => {
    const old = now() - 301;
    expect(codeOf(() => verifyWebhook(raw, `t=${old},v1=${nodeSignature(old, raw)}`, secret))).toBe("timestamp_out_of_tolerance");
    expect(verifyWebhook(raw, `t=${old},v1=${nodeSignature(old, raw)}`, secret, 600).id).toBe("evt_123");
    const future = now() + 301;
    expect(codeOf(() => verifyWebhook(raw, `t=${future},v1=${nodeSignature(future, raw)}`, secret))).toBe("timestamp_out_of_tolerance");
  });

  it("rejects missing and malformed headers, and signed bodies that are not events", () => {
    expect(codeOf(() => verifyWebhook(raw, undefined, secret))).toBe("missing_signature");
    expect(codeOf(() => verifyWebhook(raw, "v1=abcd", secret))).toBe("malformed_signature");
    expect(codeOf(() => verifyWebhook(raw, `t=${now()}`, secret))).toBe("malformed_signature");
    expect(codeOf(() => verifyWebhook(raw, `t=${now()},v1=nothex`, secret))).toBe("malformed_signature");
    const t = now();
    expect(codeOf(() => verifyWebhook("not json", `t=${t},v1=${nodeSignature(t, "not json")}`, secret))).toBe("invalid_payload");
    expect(codeOf(() => verifyWebhook("[1]", `t=${t},v1=${nodeSignature(t, "[1]")}`, secret))).toBe("invalid_payload");
  });
});
