// CSV for spreadsheets (RFC 4180): every cell quoted when it needs to be, and any cell that
// a spreadsheet would run as a formula (starting with = + - @, a tab or a carriage return)
// neutralised with a leading apostrophe, as OWASP recommends for CSV injection.
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: string | number | bigint | boolean | Date | null | undefined): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number" || typeof value === "bigint" || typeof value === "boolean") return String(value);
  let text = value instanceof Date ? value.toISOString() : value;
  if (FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One line of cells, CRLF-terminated. */
export const csvLine = (cells: Parameters<typeof csvCell>[0][]) => `${cells.map(csvCell).join(",")}\r\n`;
