import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { devWalletEnabled } from "@/lib/dev/tools";
import { DevWallet } from "@/components/dev-wallet";

export const metadata: Metadata = { title: "Dev wallet" };
// DEV_WALLET is read when the page is requested, not when `next build` prerenders it (the
// build runs with NODE_ENV=production and no DEV_WALLET, which baked in a 404).
export const dynamic = "force-dynamic";

export default function DevWalletPage() {
  // Same switch as POST /api/dev/pay: off in production unless DEV_WALLET=1.
  if (!devWalletEnabled()) notFound();
  return (
    <main className="mx-auto w-full max-w-2xl px-4 py-10">
      <Link href="/" className="text-sm text-stone-600 hover:underline">
        ← Tollbooth
      </Link>
      <h1 className="mt-4 text-2xl font-semibold tracking-tight">Dev wallet</h1>
      <p className="mt-2 text-sm text-stone-600">
        Pays test-mode invoices with Tollbooth&apos;s simulated Lightning node, so you can walk the whole L402 flow without a real wallet.
        No real sats move. It refuses live invoices.
      </p>
      <div className="mt-6">
        <DevWallet />
      </div>
    </main>
  );
}
