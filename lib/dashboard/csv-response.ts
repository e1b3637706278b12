// A CSV download from the dashboard: streamed as it is read from the database, never cached,
// named after the workspace, the mode and the day.
import type { KeyMode } from "../keys/api-keys";

export function csvDownload(stream: ReadableStream<Uint8Array>, what: string, tenantSlug: string, mode: KeyMode): Response {
  return csvAttachment(stream, `tollbooth-${what}-${tenantSlug}-${mode}-${new Date().toISOString().slice(0, 10)}.csv`);
}

/** The same response for a file that is not one mode's (the audit log): named by the caller. */
export function csvAttachment(stream: ReadableStream<Uint8Array>, filename: string): Response {
  return new Response(stream, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${filename}"`,
      "cache-control": "no-store",
    },
  });
}
