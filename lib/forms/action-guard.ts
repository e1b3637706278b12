// Server-action requests that Next refuses itself, and answers with a 500: a cross-site
// submission (Origin is not this host), a body it cannot decode, a body over its size
// limit. They never reach our actions, so formAction cannot turn them into form state;
// proxy.ts answers them here first, with a 4xx that says why. Mirrors Next's own checks
// (app-render/action-handler): keep in step if next.config sets serverActions options.
import { readBodyUpTo, TOO_LARGE } from "../http/body";

/** Next's default serverActions.bodySizeLimit (1 MB). */
export const SERVER_ACTION_BODY_LIMIT_BYTES = 1024 * 1024;

function refuse(status: number, message: string): Response {
  return new Response(`${message}\n`, { status, headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" } });
}

/** Next compares the Origin's host with X-Forwarded-Host (its first entry), else Host. */
function crossOriginRefusal(headers: Headers): Response | undefined {
  const origin = headers.get("origin");
  // No Origin: not a browser's cross-site request (browsers send Origin on every POST). Next lets it through.
  if (origin === null) return undefined;
  let originHost = "null";
  if (origin !== "null") {
    try {
      originHost = new URL(origin).host;
    } catch {
      return refuse(400, "This form submission carries an Origin header that is not a URL.");
    }
  }
  const host = headers.get("x-forwarded-host")?.split(",")[0]?.trim() || headers.get("host") || "";
  if (originHost === host) return undefined;
  return refuse(
    403,
    `This form was sent from ${origin}, not from ${host || "this site"}: forms are only accepted from the site's own pages. Open the page on ${host || "this site"} and submit it there.`,
  );
}

async function undecodableBody(request: Request, multipart: boolean): Promise<Response | undefined> {
  const body = await readBodyUpTo(request, SERVER_ACTION_BODY_LIMIT_BYTES).catch(() => undefined);
  if (body === TOO_LARGE) return refuse(413, `Form submissions can be ${SERVER_ACTION_BODY_LIMIT_BYTES} bytes at most.`);
  try {
    if (!body) throw new Error("unreadable");
    // A form (with or without JavaScript) is multipart; other action arguments are JSON text.
    if (multipart) await new Response(body, { headers: { "content-type": request.headers.get("content-type")! } }).formData();
    else JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(body));
  } catch {
    return refuse(400, "This form submission could not be read (a malformed body). Reload the page and submit the form again.");
  }
  return undefined;
}

/** A 4xx for a server-action request Next would fail with a 500; undefined lets it through. */
export async function refuseBadServerAction(request: Request): Promise<Response | undefined> {
  if (request.method !== "POST") return undefined;
  const multipart = (request.headers.get("content-type") ?? "").startsWith("multipart/form-data");
  if (!request.headers.has("next-action") && !multipart) return undefined;
  return crossOriginRefusal(request.headers) ?? undecodableBody(request, multipart);
}
