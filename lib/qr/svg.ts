// QR codes as SVG for the payment page (invoices are long: error correction M keeps the
// code scannable from a screen without growing it too much).
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
// qrcode-svg is CommonJS without types; this is the part of its API we use.
const QRCode = require("qrcode-svg") as new (options: {
  content: string;
  padding: number;
  ecl: string;
  join: boolean;
  container: string;
  color: string;
  background: string;
}) => { svg(): string };

export const MAX_QR_TEXT = 2000;

export function qrSvg(text: string): string {
  if (text.length === 0 || text.length > MAX_QR_TEXT) throw new RangeError(`QR text must be 1–${MAX_QR_TEXT} characters`);
  return new QRCode({
    content: text,
    padding: 2,
    ecl: "M",
    join: true,
    container: "svg-viewbox",
    color: "#000000",
    background: "#ffffff",
  }).svg();
}
