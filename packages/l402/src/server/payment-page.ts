/**
 * The 402 a browser gets: a small self-contained HTML page (inline CSS and JS, no
 * assets but the service's QR image and the tenant's logo) that shows the invoice,
 * pays it with WebLN when the browser has a wallet extension, or takes a pasted
 * preimage, then fetches the same URL with the L402 credential and shows the answer.
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

/**
 * The page's script, written as a real function so the bundler minifies it; it is sent as
 * its source text (`(${pageScript})()`), so it must not use anything from this module.
 * Reads its data from <body data-*>.
 */
function pageScript() {
  const data = document.body.dataset;
  const byId = (id: string) => document.getElementById(id) as HTMLInputElement;
  const status = (text: string) => (byId("st").textContent = text);
  const show = (text: string) => {
    const out = byId("out");
    out.textContent = text;
    out.hidden = false;
  };
  byId("copy").onclick = () =>
    navigator.clipboard.writeText(data.invoice!).then(
      () => status("Invoice copied."),
      () => byId("inv").select(),
    );
  const unlock = async (input: string) => {
    const preimage = String(input || "")
      .trim()
      .toLowerCase();
    if (!/^[0-9a-f]{64}$/.test(preimage)) return status("The preimage is 64 hex characters.");
    const authorization = `L402 ${data.macaroon}:${preimage}`;
    if (data.method !== "GET") {
      status(`Paid. Repeat your ${data.method} request with:`);
      return show(`Authorization: ${authorization}`);
    }
    status("Paid. Loading…");
    try {
      const response = await fetch(location.href, { headers: { Authorization: authorization, Accept: "application/json, */*;q=0.8" } });
      let text = await response.text();
      try {
        if (/json/.test(response.headers.get("content-type")!)) text = JSON.stringify(JSON.parse(text), null, 2);
      } catch {}
      status(response.ok ? "Paid. The answer:" : `The server answered ${response.status}:`);
      show(text);
    } catch (error) {
      status(`Could not load the answer: ${error}`);
    }
  };
  const webln = (window as { webln?: { enable(): Promise<void>; sendPayment(invoice: string): Promise<{ preimage: string }> } }).webln;
  if (webln) {
    const button = byId("webln");
    button.hidden = false;
    button.onclick = async () => {
      try {
        await webln.enable();
        unlock((await webln.sendPayment(data.invoice!)).preimage);
      } catch (error) {
        status(`WebLN: ${error}`);
      }
    };
  }
  byId("f").onsubmit = (event) => {
    event.preventDefault();
    unlock(byId("pre").value);
  };
}

const STYLE =
  "body{font:16px/1.5 system-ui;max-width:34rem;margin:2rem auto;padding:0 1rem}header{display:flex;align-items:center;gap:1rem}header img{height:2.5rem}" +
  ".qr{display:block;width:15rem;margin:auto}textarea,input{width:100%;font:12px monospace}textarea{height:5rem}" +
  "button{background:var(--a);color:#fff;border:0;border-radius:6px;padding:.5rem 1rem;margin:.5rem .5rem .5rem 0}pre{background:#eee;padding:1rem;white-space:pre-wrap;word-break:break-all}.m{color:#555}";

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
    // No usable origin: the QR image simply will not load.
  }
  return `default-src 'none'; img-src 'self' https: data:${serviceOrigin}; style-src 'nonce-${nonce}'; script-src 'nonce-${nonce}'; connect-src 'self'; base-uri 'none'; form-action 'none'`;
}

export function renderPaymentPage(input: PaymentPageInput, nonce?: string): string {
  const { issued, branding } = input;
  const name = branding?.name || "Payment required";
  const accent = branding?.accentColor && COLOR.test(branding.accentColor) ? branding.accentColor : DEFAULT_ACCENT;
  const logo = branding?.logoUrl && HTTP_URL.test(branding.logoUrl) ? `<img src="${escapeHtml(branding.logoUrl)}" alt="">` : "";
  const nonceAttribute = nonce ? ` nonce="${escapeHtml(nonce)}"` : "";
  const reason = input.reason ? `<p class="m">Credential refused: ${escapeHtml(input.reason.message || input.reason.code)}</p>` : "";
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>Payment required · ${escapeHtml(name)}</title>
<style${nonceAttribute}>:root{--a:${accent}}${STYLE}</style></head>
<body data-invoice="${escapeHtml(issued.invoice)}" data-macaroon="${escapeHtml(issued.macaroon)}" data-method="${escapeHtml(input.method.toUpperCase())}">
<header>${logo}<h1>${escapeHtml(name)}</h1></header>
<p>This call costs <b>${escapeHtml(String(issued.amountSats))} sats</b>. Pay the Lightning invoice and this page loads the answer.</p>${reason}
<img class="qr" alt="QR code of the invoice" src="${escapeHtml(qrCodeUrl(input.baseUrl, issued.invoice))}">
<textarea id="inv" readonly>${escapeHtml(issued.invoice)}</textarea>
<button id="copy">Copy invoice</button><button id="webln" hidden>Pay with WebLN</button>
<form id="f"><label class="m" for="pre">Paid with another wallet? Paste the preimage:</label><input id="pre" autocomplete="off" placeholder="64 hex characters"><button>Unlock</button></form>
<p id="st" class="m" role="status">Invoice expires ${escapeHtml(issued.expiresAt)}.</p><pre id="out" hidden></pre>
<script${nonceAttribute}>(${pageScript})()</script></body></html>`;
}
