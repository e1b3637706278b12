// QR codes as SVG for the payment page (invoices are long: error correction M keeps the
// code scannable from a screen without growing it too much).
import { createRequire } from "node:module";
import { z } from "zod";
import { parseInput } from "../errors";

const require = createRequire(import.meta.url);
// qrcode-svg is CommonJS without types; this is the part of its API we use.
const QRCode = require("qrcode-svg") as new (options: {
  content: string;
  padding: 2;
  ecl: "M";
  join: boolean;
  container: string;
  color: string;
  background: string;
}) => { svg(): string };

/**
 * The most the encoder holds at error correction M, measured (tests/unit/qr.test.ts): the
 * largest QR code carries 2,331 bytes, and qrcode-svg reserves 3 of them for a byte-order
 * mark it counts even for ASCII. Only printable ASCII is taken: that is what invoices,
 * `lightning:` URIs and URLs are, and qrcode-svg encodes other characters wrongly
 * (astral ones as broken surrogates), so they would scan as something else.
 */
export const MAX_QR_TEXT = 2328;

export const qrTextSchema = z
  .string()
  .min(1, "Send the text to encode, like data=lightning:lnbc…")
  .max(MAX_QR_TEXT, {
    error: (issue) => `A QR code holds at most ${MAX_QR_TEXT} characters; this text has ${(issue.input as string).length}.`,
  })
  .regex(/^[\x20-\x7e]+$/, "QR text must be printable ASCII (an invoice, a lightning: URI or a URL); percent-encode anything else.");

export function qrSvg(text: string): string {
  const content = parseInput(qrTextSchema, text, "invalid_qr_text", "data");
  return new QRCode({ content, padding: 2, ecl: "M", join: true, container: "svg-viewbox", color: "#000000", background: "#ffffff" }).svg();
}
