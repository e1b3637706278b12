/**
 * The 402 a browser gets: a small self-contained HTML page (inline CSS and JS, no
 * assets but the service's QR image and the tenant's logo) that shows the invoice and
 * finishes the call by itself once the invoice is paid: it polls the Tollbooth service's
 * public status route for the payment hash, and once paid asks the service for the
 * preimage (which it gives only to the holder of the macaroon), fetches the same URL with
 * the L402 credential and shows the answer. So a payer who scans the QR code with a phone
 * wallet sees the answer appear. A browser wallet (WebLN) pays in one click; a pasted
 * preimage is the fallback when the service cannot be reached from the browser.
 *
 * Everything from outside (tenant name, logo URL, invoice, macaroon, reason) is escaped;
 * the accent colour and logo URL are also checked against strict patterns because CSS and
 * URLs have their own injection rules. The page ships its own Content-Security-Policy with
 * a per-response nonce, so a strict site-wide CSP (helmet's default, say) does not break it.
 */
import { encodeBase64 } from "../shared/base64.js";
import { escapeHtml } from "./html-escape.js";
import type { DiscoveryDocument, IssuedInvoice } from "./service-types.js";

export interface PaymentPageInput {
  issued: IssuedInvoice;
  baseUrl: string;
  method: string;
  branding?: DiscoveryDocument["tenant"];
  reason?: { code: string; message: string };
}

const DEFAULT_ACCENT = "#f7931a";
const COLOR = /^#(?:[0-9a-fA-F]{3,4}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$/;
const HTTP_URL = /^https?:\/\/[^\s"'<>`]+$/i;

/** How often the page asks whether the invoice is paid (0.5 requests/s per open page). */
export const PAYMENT_POLL_MS = 2000;

/**
 * The page's script, written as a real function so the bundler minifies it; it is sent as
 * its source text (`(${pageScript})(pollMs)`), so it must not use anything from this module.
 * Reads its data from <body data-*>.
 */
function pageScript(pollMs: number) {
  const data = document.body.dataset;
  const byId = (id: string) => document.getElementById(id) as HTMLInputElement;
  const status = (text: string) => (byId("st").textContent = text);
  const show = (text: string) => {
    const out = byId("out");
    out.textContent = text;
    out.hidden = false;
  };
  const expiresAt = Date.parse(data.expires!);
  status(`Waiting for the payment. The invoice expires at ${new Date(expiresAt).toLocaleTimeString()}.`);
  byId("copy").onclick = () =>
    navigator.clipboard.writeText(data.invoice!).then(
      () => status("Invoice copied."),
      () => byId("inv").select(),
    );

  // busy: a retry with the credential is under way; done: the call has been completed.
  // WebLN, the poller and a pasted preimage may all get there: only one retry may run,
  // because a single-use token answers once.
  let busy = false;
  let done = false;
  const unlock = async (input: string) => {
    const preimage = String(input || "")
      .trim()
      .toLowerCase();
    if (!/^[0-9a-f]{64}$/.test(preimage)) return status("The preimage is 64 hex characters.");
    if (busy || done) return;
    const authorization = `L402 ${data.macaroon}:${preimage}`;
    if (data.method !== "GET") {
      done = true;
      status(`Paid. Repeat your ${data.method} request with:`);
      return show(`Authorization: ${authorization}`);
    }
    busy = true;
    status("Paid. Loading…");
    try {
      const response = await fetch(location.href, { headers: { Authorization: authorization, Accept: "application/json, */*;q=0.8" } });
      let text = await response.text();
      try {
        if (/json/.test(response.headers.get("content-type")!)) text = JSON.stringify(JSON.parse(text), null, 2);
      } catch {}
      done = response.ok;
      byId("f").hidden = done; // nothing left to paste
      status(response.ok ? "Paid. The answer:" : `The server answered ${response.status}:`);
      show(text);
    } catch (error) {
      status(`Could not load the answer: ${error}`);
    } finally {
      busy = false;
    }
  };

  // Tollbooth's node knows when its invoice is paid, whichever wallet paid it.
  const service = data.service!;
  const poll = async () => {
    if (done) return;
    let waitMs = pollMs;
    try {
      const answer = await fetch(`${service}/api/public/invoices/${data.hash}`, { cache: "no-store" });
      if (answer.status === 404) return; // not an invoice of this service: only a pasted preimage can help
      if (answer.status === 429) waitMs = 1000 * (Number(answer.headers.get("retry-after")) || 5);
      const state = answer.ok ? (await answer.json()).state : "";
      if (state === "expired") return status("This invoice expired unpaid. Reload the page for a new one.");
      if (state === "paid" && !busy) {
        const given = await fetch(`${service}/api/public/l402/preimage`, {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ macaroon: data.macaroon }),
        });
        // One automatic try: if the call is refused, the message stays and the form is still there.
        if (given.ok) return unlock((await given.json()).preimage);
      }
    } catch {
      waitMs = pollMs * 2; // offline for a moment, or the service is unreachable from here
    }
    if (Date.now() < expiresAt + 60_000) setTimeout(poll, waitMs);
  };
  setTimeout(poll, pollMs);

  // A browser wallet, if there is one. Checked by its method: an element whose id is webln
  // would otherwise make window.webln that element.
  const offerWebln = () => {
    const wallet = (window as { webln?: { enable(): Promise<void>; sendPayment(invoice: string): Promise<{ preimage: string }> } }).webln;
    if (typeof wallet?.enable !== "function") return;
    const button = byId("pay-webln");
    button.hidden = false;
    button.onclick = async () => {
      try {
        await wallet.enable();
        unlock((await wallet.sendPayment(data.invoice!)).preimage);
      } catch (error) {
        status(`WebLN: ${error}`);
      }
    };
  };
  offerWebln();
  // Wallet extensions that inject their provider late announce it (Alby does).
  window.addEventListener("webln:ready", offerWebln);

  byId("f").onsubmit = (event) => {
    event.preventDefault();
    unlock(byId("pre").value);
  };
}

const STYLE =
  "body{font:16px/1.5 system-ui;max-width:34rem;margin:2rem auto;padding:0 1rem}header{display:flex;align-items:center;gap:1rem}header img{height:2.5rem}" +
  ".qr{display:block;width:15rem;max-width:100%;margin:auto}textarea,input{box-sizing:border-box;width:100%;font:12px monospace;padding:.4rem}textarea{height:5rem}" +
  "button,.b{background:var(--a);color:#fff;border:0;border-radius:6px;padding:.5rem 1rem;margin:.5rem .5rem .5rem 0;font:inherit;text-decoration:none;cursor:pointer}.b{display:inline-block}" +
  "pre{background:#eee;padding:1rem;white-space:pre-wrap;overflow-wrap:anywhere}.m{color:#555}";

export function qrCodeUrl(baseUrl: string, invoice: string): string {
  return `${baseUrl}/api/v1/qr.svg?data=lightning:${encodeURIComponent(invoice)}`;
}

/** A fresh nonce for the page's CSP; undefined where there is no WebCrypto (then no CSP is sent). */
export function newNonce(): string | undefined {
  const webCrypto = (globalThis as { crypto?: { getRandomValues?<T extends Uint8Array>(array: T): T } }).crypto;
  return webCrypto?.getRandomValues ? encodeBase64(webCrypto.getRandomValues(new Uint8Array(16))) : undefined;
}

export function paymentPageCsp(nonce: string, baseUrl: string): string {
  let serviceOrigin = "";
  try {
    serviceOrigin = ` ${new URL(baseUrl).origin}`;
  } catch {
    // No usable origin: the QR image will not load and the page cannot see the payment (paste the preimage).
  }
  // connect-src: the retry goes to this page's own URL, the payment checks to the service.
  return `default-src 'none'; img-src 'self' https: data:${serviceOrigin}; style-src 'nonce-${nonce}'; script-src 'nonce-${nonce}'; connect-src 'self'${serviceOrigin}; base-uri 'none'; form-action 'none'`;
}

/** A metered endpoint's invoice is a deposit (or top-up): say what it buys. */
function costLine(issued: PaymentPageInput["issued"]): string {
  const sats = `<b>${escapeHtml(String(issued.amountSats))} sats</b>`;
  const p = issued.prepaid;
  if (!p) return `This call costs ${sats}.`;
  const max = p.maxCostPerCallSats ? `, at most ${p.maxCostPerCallSats | 0} sats` : "";
  const kept = p.kind === "top_up" ? ` (your ${Number(p.balanceMsat) / 1000} sats stay)` : "";
  return `Deposit ${sats}${kept} for a prepaid balance: each call costs what it uses${max}.`;
}

export function renderPaymentPage(input: PaymentPageInput, nonce?: string): string {
  const { issued, branding } = input;
  const name = branding?.name || "Payment required";
  const accent = branding?.accentColor && COLOR.test(branding.accentColor) ? branding.accentColor : DEFAULT_ACCENT;
  const logo = branding?.logoUrl && HTTP_URL.test(branding.logoUrl) ? `<img src="${escapeHtml(branding.logoUrl)}" alt="">` : "";
  const nonceAttribute = nonce ? ` nonce="${escapeHtml(nonce)}"` : "";
  const reason = input.reason ? `<p class="m">Credential refused: ${escapeHtml(input.reason.message || input.reason.code)}</p>` : "";
  const method = input.method.toUpperCase();
  const outcome = method === "GET" ? "loads the answer" : `gives you the header to repeat your ${escapeHtml(method)} request with`;
  const invoice = escapeHtml(issued.invoice);
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>Payment required · ${escapeHtml(name)}</title>
<style${nonceAttribute}>:root{--a:${accent}}${STYLE}</style></head>
<body data-invoice="${invoice}" data-macaroon="${escapeHtml(issued.macaroon)}" data-method="${escapeHtml(method)}" data-hash="${escapeHtml(issued.paymentHash)}" data-expires="${escapeHtml(issued.expiresAt)}" data-service="${escapeHtml(input.baseUrl)}">
<header>${logo}<h1>${escapeHtml(name)}</h1></header>
<p>${costLine(issued)} Pay the Lightning invoice with any wallet (scan the QR code, or copy the invoice): this page sees the payment and ${outcome}.</p>${reason}
<img class="qr" alt="QR code of the invoice" src="${escapeHtml(qrCodeUrl(input.baseUrl, issued.invoice))}">
<textarea id="inv" readonly aria-label="Lightning invoice">${invoice}</textarea>
<div><button id="copy" type="button">Copy invoice</button><a class="b" href="lightning:${invoice}">Open in wallet</a><button id="pay-webln" type="button" hidden>Pay with WebLN</button></div>
<p id="st" class="m" role="status"></p><pre id="out" hidden></pre>
<form id="f"><label class="m" for="pre">Paid, but no answer appears? Paste the preimage your wallet shows:</label><input id="pre" autocomplete="off" placeholder="64 hex characters"><button>Unlock</button></form>
<script${nonceAttribute}>(${pageScript})(${PAYMENT_POLL_MS})</script></body></html>`;
}
