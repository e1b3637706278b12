// The landing page says what exists. Payouts and webhooks are not built yet (nothing pays
// out, no lib/webhooks): they may appear only in the page's "Coming soon" list, never as
// included. The dashboard, stats API and CSV export exist (issue 8) and are promised.
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
  it("promises only what exists: the dashboard, the stats API and CSV export", () => {
    expect(elsewhere).toMatch(/stats API/);
    expect(elsewhere).toMatch(/CSV export/);
    expect(text(comingSoon)).not.toMatch(/CSV|stats/i);
  });

  it("lists what is not built yet as coming soon", () => {
    expect(text(comingSoon)).toMatch(/Payouts to your Lightning address/);
    expect(text(comingSoon)).toMatch(/Webhooks/);
  });

  it("does not promise them anywhere else", () => {
    expect(elsewhere).not.toMatch(/webhook/i);
    // Payouts may only be mentioned as coming soon.
    for (const sentence of elsewhere.split(/(?<=\.)\s/).filter((s) => /pay(s|ing)? (the money )?out|paid out|payouts?\b/i.test(s))) {
      expect(sentence).toMatch(/coming soon/i);
    }
  });
});
