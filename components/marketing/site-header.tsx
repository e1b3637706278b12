import Link from "next/link";
import { ButtonLink } from "./button-link";
import { Wordmark } from "./wordmark";

export function SiteHeader() {
  return (
    <>
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:fixed focus:top-2 focus:left-2 focus:z-50 focus:rounded-md focus:bg-white focus:px-3 focus:py-2 focus:text-sm focus:shadow"
      >
        Skip to content
      </a>
      <header className="border-b border-stone-200 bg-stone-50/90 backdrop-blur supports-[backdrop-filter]:bg-stone-50/75 sm:sticky sm:top-0 sm:z-10">
        <div className="mx-auto flex max-w-6xl items-center justify-between gap-3 px-4 py-3 sm:px-6">
          <Wordmark />
          <nav aria-label="Main" className="flex items-center gap-1 sm:gap-2">
            <a href="#how-it-works" className="hidden rounded-md px-3 py-2 text-sm text-stone-600 hover:text-stone-900 md:inline-block">
              How it works
            </a>
            <a href="#pricing" className="hidden rounded-md px-3 py-2 text-sm text-stone-600 hover:text-stone-900 md:inline-block">
              Pricing
            </a>
            <Link
              href="/sign-in"
              className="rounded-md px-3 py-2 text-sm font-medium text-stone-700 hover:text-stone-900 focus:outline-none focus-visible:ring-2 focus-visible:ring-brand-500"
            >
              Sign in
            </Link>
            <ButtonLink href="/sign-up">Start free</ButtonLink>
          </nav>
        </div>
      </header>
    </>
  );
}
