// Keyset cursors: the sort key of the last row of a page (a timestamp and an id), opaque to
// callers (base64url JSON). A malformed cursor is the caller's error, not a 500.
import { AppError } from "../errors";

export interface KeysetPosition {
  at: Date;
  id: string;
}

export function encodeCursor(position: KeysetPosition): string {
  return Buffer.from(JSON.stringify([position.at.toISOString(), position.id])).toString("base64url");
}

export function decodeCursor(cursor: string): KeysetPosition {
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as [unknown, unknown];
    const date = new Date(String(at));
    if (typeof at === "string" && typeof id === "string" && id && !Number.isNaN(date.getTime())) return { at: date, id };
  } catch {
    // fall through
  }
  throw new AppError("invalid_request_error", "invalid_cursor", "This cursor is not valid: use next_cursor from the previous page.", {
    param: "cursor",
  });
}
