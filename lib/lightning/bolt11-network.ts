/**
 * BOLT11 networks and their human-readable-part prefixes.
 *
 * The prefix is "ln" + the BIP-173 currency prefix. Signet has no BIP-173
 * prefix of its own; "lntbs" is what LND, CLN and the decoders use.
 */

export type Bolt11Network = "mainnet" | "testnet" | "regtest" | "signet";

export const INVOICE_PREFIX_BY_NETWORK: Readonly<Record<Bolt11Network, string>> = {
  mainnet: "lnbc",
  testnet: "lntb",
  regtest: "lnbcrt",
  signet: "lntbs",
};

/**
 * Longest prefix first: "lnbcrt" starts with "lnbc" and "lntbs" with "lntb", and the
 * amount that follows is digits only, so the first prefix that matches is the right one.
 */
const NETWORKS_BY_PREFIX_LENGTH: ReadonlyArray<[string, Bolt11Network]> = (
  Object.entries(INVOICE_PREFIX_BY_NETWORK) as Array<[Bolt11Network, string]>
)
  .map(([network, prefix]): [string, Bolt11Network] => [prefix, network])
  .sort((a, b) => b[0].length - a[0].length);

/** Splits a human-readable part such as "lnbcrt2500u" into its network and amount text. */
export function splitHumanReadablePart(hrp: string): { network: Bolt11Network; amountText: string } {
  for (const [prefix, network] of NETWORKS_BY_PREFIX_LENGTH) {
    if (!hrp.startsWith(prefix)) continue;
    const amountText = hrp.slice(prefix.length);
    // "lnbcrt" must not be read as mainnet with amount "rt": amounts start with a digit.
    if (amountText === "" || /^[0-9]/.test(amountText)) return { network, amountText };
  }
  throw new Error(`unknown invoice prefix in "${hrp}"`);
}
