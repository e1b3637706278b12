// The landing page says what exists. Payouts, payment history / CSV export, webhooks and a
// stats API are not built yet (no lib/payouts, lib/webhooks, lib/stats, no such routes or
// pages): they may appear only in the page's "Coming soon" list, never as included.
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import HomePage from "../../app/page";

const html = renderToStaticMarkup(createElement(HomePage));
const text = (markup: string) =>
  markup
    .replace(/<[^>]+>/g, " ")
    .replace(/&[a-z#0-9]+;/gi, " ")
    .replace(/\s+/g, " ");
const comingSoon = /<ul aria-labelledby="coming-soon"[^>]*>([\s\S]*?)<\/ul>/.exec(html)?.[1] ?? "";
const elsewhere = text(html.replace(comingSoon, ""));

describe("the landing page's promises", () => {
  it("lists what is not built yet as coming soon", () => {
    expect(text(comingSoon)).toMatch(/Payouts to your Lightning address/);
    expect(text(comingSoon)).toMatch(/CSV export/);
    expect(text(comingSoon)).toMatch(/Webhooks/);
    expect(text(comingSoon)).toMatch(/stats API/);
  });

  it("does not promise them anywhere else", () => {
    expect(elsewhere).not.toMatch(/CSV/i);
    expect(elsewhere).not.toMatch(/webhook/i);
    expect(elsewhere).not.toMatch(/stats API/i);
    // Payouts may only be mentioned as coming soon.
    for (const sentence of elsewhere.split(/(?<=\.)\s/).filter((s) => /pay(s|ing)? (the money )?out|paid out|payouts?\b/i.test(s))) {
      expect(sentence).toMatch(/coming soon/i);
    }
  });
});
