// The QR limit is what the encoder itself holds, measured, not a guess.
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { MAX_QR_TEXT, qrSvg } from "../../lib/qr/svg";

const require = createRequire(import.meta.url);
const QRCode = require("qrcode-svg") as new (options: { content: string; ecl: string }) => { svg(): string };
const encoderTakes = (content: string) => {
  try {
    new QRCode({ content, ecl: "M" }).svg();
    return true;
  } catch {
    return false;
  }
};

describe("QR text limit", () => {
  it("is exactly the most ASCII text qrcode-svg encodes at error correction M", () => {
    expect(encoderTakes("x".repeat(MAX_QR_TEXT))).toBe(true);
    expect(encoderTakes("x".repeat(MAX_QR_TEXT + 1))).toBe(false);
  });

  it("refuses more, and text the encoder would mangle, with a 400 naming the parameter", () => {
    expect(qrSvg("x".repeat(MAX_QR_TEXT))).toContain("<svg");
    expect(() => qrSvg("x".repeat(MAX_QR_TEXT + 1))).toThrow(expect.objectContaining({ status: 400, param: "data" }));
    // Under the length limit, yet more bytes than a QR code holds; and emoji it encodes wrongly.
    expect(() => qrSvg("é".repeat(1500))).toThrow(expect.objectContaining({ status: 400 }));
    expect(() => qrSvg("😀")).toThrow(expect.objectContaining({ status: 400 }));
  });
});
