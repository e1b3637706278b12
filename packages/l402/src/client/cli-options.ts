/** tollbooth-pay's command line: parsing, checking and the usage text. */
import { parseArgs } from "node:util";

export const USAGE = `Usage: tollbooth-pay <url> [options]

Fetches <url>, paying its L402 (Lightning) challenge if it answers 402, and prints the body.

Options:
  --max-sats N          refuse an invoice above N sats (default 1000)
  --budget-sats N       refuse to spend more than N sats in total (default: no total limit)
  --wallet dev|lnd      how to pay (default dev)
  --dev-url URL         Tollbooth service whose dev wallet pays test invoices
                        (default $TOLLBOOTH_URL or http://localhost:3000)
  --lnd-url URL         LND REST endpoint, e.g. https://127.0.0.1:8080 (with --wallet lnd;
                        trust a self-signed tls.cert with NODE_EXTRA_CA_CERTS)
  --lnd-macaroon HEX    LND macaroon as hex (with --wallet lnd; or $LND_MACAROON_HEX)
  --method M            HTTP method (default GET, or POST with --data)
  --header 'K: V'       request header; repeatable
  --data BODY           request body
  --json                print {status, paidSats, paymentHash, body} as JSON instead of the body
  -h, --help            show this help

Exit status: 0 on a 2xx answer; 1 on any other answer, a refused payment or an error.
`;

export type WalletChoice = { kind: "dev"; devUrl: string } | { kind: "lnd"; lndUrl: string; macaroonHex: string };

export interface CliOptions {
  url: string;
  maxPriceSats: number;
  budgetSats?: number;
  wallet: WalletChoice;
  method: string;
  headers: Headers;
  body?: string;
  json: boolean;
}

/** A mistake on the command line: printed with the usage hint, exit 1. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

const DEFAULT_MAX_SATS = 1000;
const DEFAULT_DEV_URL = "http://localhost:3000";

/** null when --help was asked for. Throws UsageError. */
export function parseCliOptions(argv: readonly string[], env: NodeJS.ProcessEnv): CliOptions | null {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        "max-sats": { type: "string" },
        "budget-sats": { type: "string" },
        wallet: { type: "string", default: "dev" },
        "dev-url": { type: "string" },
        "lnd-url": { type: "string" },
        "lnd-macaroon": { type: "string" },
        method: { type: "string" },
        header: { type: "string", multiple: true, default: [] },
        data: { type: "string" },
        json: { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) return null;

  if (positionals.length !== 1)
    throw new UsageError(positionals.length === 0 ? "missing <url>" : `expected one <url>, got ${positionals.length}`);
  const url = positionals[0]!;
  if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) throw new UsageError(`not an http(s) URL: ${url}`);

  const budgetSats = values["budget-sats"] === undefined ? undefined : parseSats(values["budget-sats"], "--budget-sats");
  return {
    url,
    maxPriceSats: values["max-sats"] === undefined ? DEFAULT_MAX_SATS : parseSats(values["max-sats"], "--max-sats"),
    ...(budgetSats !== undefined ? { budgetSats } : {}),
    wallet: walletChoice(values, env),
    // curl's convention: sending data means POST unless told otherwise.
    method: (values.method ?? (values.data !== undefined ? "POST" : "GET")).toUpperCase(),
    headers: parseHeaders(values.header),
    ...(values.data !== undefined ? { body: values.data } : {}),
    json: values.json,
  };
}

function walletChoice(
  values: { wallet: string; "dev-url"?: string; "lnd-url"?: string; "lnd-macaroon"?: string },
  env: NodeJS.ProcessEnv,
): WalletChoice {
  switch (values.wallet) {
    case "dev":
      return { kind: "dev", devUrl: values["dev-url"] ?? env.TOLLBOOTH_URL ?? DEFAULT_DEV_URL };
    case "lnd": {
      const lndUrl = values["lnd-url"];
      const macaroonHex = values["lnd-macaroon"] ?? env.LND_MACAROON_HEX;
      if (!lndUrl) throw new UsageError("--wallet lnd needs --lnd-url");
      if (!macaroonHex) throw new UsageError("--wallet lnd needs --lnd-macaroon (or LND_MACAROON_HEX)");
      return { kind: "lnd", lndUrl, macaroonHex };
    }
    default:
      throw new UsageError(`--wallet must be dev or lnd, got ${JSON.stringify(values.wallet)}`);
  }
}

function parseSats(text: string, flag: string): number {
  if (!/^\d+$/.test(text)) throw new UsageError(`${flag} must be a whole number of sats, got ${JSON.stringify(text)}`);
  return Number(text);
}

function parseHeaders(lines: readonly string[]): Headers {
  const headers = new Headers();
  for (const line of lines) {
    const colon = line.indexOf(":");
    if (colon <= 0) throw new UsageError(`--header must look like 'Name: value', got ${JSON.stringify(line)}`);
    try {
      headers.append(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
    } catch {
      throw new UsageError(`invalid header ${JSON.stringify(line)}`);
    }
  }
  return headers;
}
