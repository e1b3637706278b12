// An invoice of another node whose preimage the fake networks "know", so paying it through
// a fake LND or LNbits can succeed (they are told the preimage with addRemotePreimage).
import { createHash, randomBytes } from "node:crypto";
import { createNobleSigner, encodeInvoice, FEATURE } from "../../lib/lightning/bolt11";

export function remoteInvoice(amountMsat: bigint) {
  const preimage = randomBytes(32);
  const paymentHash = createHash("sha256").update(preimage).digest();
  const invoice = encodeInvoice(
    {
      network: "regtest",
      amountMsat,
      timestamp: Math.floor(Date.now() / 1000),
      paymentHash,
      paymentSecret: randomBytes(32),
      description: "payout",
      expirySeconds: 600,
      featureBits: [FEATURE.varOnionOptinOptional, FEATURE.paymentSecretCompulsory],
    },
    createNobleSigner(randomBytes(32)),
  );
  return { invoice, paymentHashHex: paymentHash.toString("hex"), preimageHex: preimage.toString("hex") };
}
