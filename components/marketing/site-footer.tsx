import Link from "next/link";
import { Wordmark } from "./wordmark";

export function SiteFooter() {
  return (
    <footer className="border-t border-stone-200">
      <div className="mx-auto flex max-w-6xl flex-col gap-6 px-4 py-10 sm:flex-row sm:items-start sm:justify-between sm:px-6">
        <div className="max-w-sm">
          <Wordmark />
          <p className="mt-3 text-sm text-stone-600">Hosted L402 payments for HTTP APIs. Charge per call in bitcoin over Lightning.</p>
        </div>
        <nav aria-label="Footer" className="text-sm">
          <ul className="grid grid-cols-2 gap-x-10 gap-y-2 text-stone-600">
            <li>
              <a href="#how-it-works" className="hover:text-stone-900">
                How it works
              </a>
            </li>
            <li>
              <Link href="/sign-in" className="hover:text-stone-900">
                Sign in
              </Link>
            </li>
            <li>
              <a href="#pricing" className="hover:text-stone-900">
                Pricing
              </a>
            </li>
            <li>
              <Link href="/sign-up" className="hover:text-stone-900">
                Start free
              </Link>
            </li>
          </ul>
        </nav>
      </div>
      <div className="mx-auto max-w-6xl px-4 pb-8 text-xs text-stone-500 sm:px-6">
        <p>
          L402 is an open protocol for paid HTTP: status 402, a Lightning invoice and a macaroon. Tollbooth is not affiliated with Lightning
          Labs.
        </p>
      </div>
    </footer>
  );
}
