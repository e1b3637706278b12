// Playwright's global teardown: after the whole e2e run, the server's log (LOG_FILE, set in
// playwright.config.ts) must hold no secret that went through it: no API key, no L402
// credential, macaroon or preimage, no password typed in the tests, no invitation token.
// And it must be the structured log promised: JSON lines, each request with its id.
import { readFileSync } from "node:fs";
import { PASSWORD } from "./helpers";

const SECRETS: [string, RegExp][] = [
  ["an API key", /tb_(live|test)_[A-Za-z0-9_-]{16,}/],
  ["an L402 credential", /(L402|LSAT)\s+[A-Za-z0-9+/=_-]{16,}:[0-9a-fA-F]{64}/i],
  ["a macaroon", /AgE[A-Za-z0-9+/_-]{40,}/],
  ["a preimage", /preimage\\?"?\s*[:=]\s*\\?"?[0-9a-fA-F]{64}/i],
  ["the demo password", /demo-password-123/],
  ["the e2e password", new RegExp(PASSWORD.replace(/ /g, "\\s"))],
  ["an invitation token", /\/invite\/(?!\[redacted\])[A-Za-z0-9_-]{16,}/],
];

export default function checkServerLog() {
  const file = process.env.E2E_LOG_FILE;
  if (!file) throw new Error("E2E_LOG_FILE is not set: playwright.config.ts sets it");
  const lines = readFileSync(file, "utf8").split("\n").filter(Boolean);
  const problems: string[] = [];
  if (lines.length < 50) problems.push(`only ${lines.length} log lines: was the server logging?`);
  let requests = 0;
  for (const [index, line] of lines.entries()) {
    let entry: { msg?: string; requestId?: string; component?: string };
    try {
      entry = JSON.parse(line);
    } catch {
      problems.push(`line ${index + 1} is not JSON: ${line.slice(0, 80)}`);
      continue;
    }
    if (entry.component === "http") {
      requests++;
      if (!entry.requestId) problems.push(`line ${index + 1}: a request without its id`);
    }
    for (const [what, pattern] of SECRETS) {
      if (pattern.test(line)) problems.push(`line ${index + 1} holds ${what}`);
    }
  }
  if (requests < 20) problems.push(`only ${requests} request lines`);
  if (problems.length) throw new Error(`The e2e server log (${file}) fails its check:\n${problems.slice(0, 20).join("\n")}`);
  console.log(`log check: ${lines.length} lines, ${requests} requests, no secrets`);
}
