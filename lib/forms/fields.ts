// Reading typed values out of a form post. Empty means "not given", so the schema's default
// or its "required" message applies; anything else is passed on for the schema to judge.
type Entry = FormDataEntryValue | null;

export function numberField(value: Entry): number | undefined {
  if (typeof value !== "string" || value.trim() === "") return undefined;
  return Number(value.trim());
}

export function textField(value: Entry): string | undefined {
  return typeof value === "string" && value.trim() !== "" ? value : undefined;
}

/** A list typed one per line or comma-separated (IP allow-lists). */
export function listField(value: Entry): string[] {
  return typeof value === "string"
    ? value
        .split(/[\s,]+/)
        .map((s) => s.trim())
        .filter(Boolean)
    : [];
}

/** A date input (YYYY-MM-DD) as the end of that day, UTC: "expires on the 31st" still works on the 31st. */
export function endOfDayUtcField(value: Entry): string | undefined {
  if (typeof value !== "string" || value.trim() === "") return undefined;
  return /^\d{4}-\d{2}-\d{2}$/.test(value.trim()) ? `${value.trim()}T23:59:59.999Z` : value;
}
