// The development tools that stand in for other people's Lightning: the dev wallet (pays
// the simulated node's test invoices) and the simulated LNURL-pay server (answers for
// Lightning addresses on the app's own host). Which are on, read from the environment.
import { liveBackendName } from "../lightning/select";

type Environment = Readonly<Record<string, string | undefined>>;

/** /api/dev/pay and /dev/wallet: in development on unless DEV_WALLET=0; in production off
 *  unless DEV_WALLET=1 is set on purpose (a staging site that wants it). */
export function devWalletEnabled(env: Environment = process.env): boolean {
  return env.NODE_ENV === "production" ? env.DEV_WALLET === "1" : env.DEV_WALLET !== "0";
}

/** The simulated LNURL-pay server (/.well-known/lnurlp/:user): with the dev wallet, while
 *  live keys use the simulated node too, so no real node's payouts ever reach it. */
export function simulatedLnurlEnabled(env: Environment = process.env): boolean {
  if (!devWalletEnabled(env)) return false;
  try {
    return liveBackendName(env) === "simulated";
  } catch {
    return false;
  }
}

/** The app's own host[:port]s, for which the simulated LNURL server answers (over http):
 *  localhost and 127.0.0.1 on PORT, and the hosts of NEXTAUTH_URL and PUBLIC_URL. Empty
 *  while the simulated server is off. */
export function simulatedLnurlHosts(env: Environment = process.env): string[] {
  if (!simulatedLnurlEnabled(env)) return [];
  const port = env.PORT ?? "3000";
  const hosts = new Set([`localhost:${port}`, `127.0.0.1:${port}`]);
  for (const url of [env.NEXTAUTH_URL, env.PUBLIC_URL]) {
    if (!url) continue;
    try {
      hosts.add(new URL(url).host.toLowerCase());
    } catch {
      // not a URL: nothing to add
    }
  }
  return [...hosts];
}
