// Text that reaches Postgres (and BOLT11 invoices). Postgres refuses NUL (U+0000) in text
// columns and in text parameters, even in a WHERE clause, so a NUL that gets past the
// schemas is a 500; every text field of user input starts from safeText() instead. Limits
// that another format sets in bytes (BOLT11's description field) are counted in UTF-8.
import { z } from "zod";

export const NUL_MESSAGE = "Text must not contain NUL (U+0000) characters.";

export const hasNoNul = (text: string) => !text.includes("\u0000");

/** A string schema Postgres can store: refuses NUL. Chain trim/min/max as usual. */
export function safeText(params?: { error?: string }) {
  return z.string(params).refine(hasNoNul, NUL_MESSAGE);
}

export const utf8Length = (text: string) => Buffer.byteLength(text, "utf8");

/** The longest prefix of `text` that fits in `maxBytes` of UTF-8, never splitting a
 *  character (a code point, so surrogate pairs stay whole). */
export function truncateUtf8(text: string, maxBytes: number): string {
  if (utf8Length(text) <= maxBytes) return text;
  let bytes = 0;
  let end = 0;
  for (const char of text) {
    bytes += utf8Length(char);
    if (bytes > maxBytes) break;
    end += char.length;
  }
  return text.slice(0, end);
}
