import Link from "next/link";

/** Keyset pagination: forward one page at a time, and back to the start. The browser's
 *  Back button returns to the previous page (each page is its own URL). */
export function CursorPager({ firstHref, nextHref, onFirstPage }: { firstHref: string; nextHref: string | null; onFirstPage: boolean }) {
  if (onFirstPage && !nextHref) return null;
  const link = "rounded-md border border-stone-300 bg-white px-3 py-1.5 text-sm font-medium text-stone-800 hover:bg-stone-100";
  return (
    <nav aria-label="Pages" className="flex items-center justify-between gap-2 pt-4">
      {onFirstPage ? (
        <span />
      ) : (
        <Link href={firstHref} className={link}>
          ← First page
        </Link>
      )}
      {nextHref ? (
        <Link href={nextHref} className={link} rel="next">
          Next page →
        </Link>
      ) : (
        <span className="text-sm text-stone-500">End of the list</span>
      )}
    </nav>
  );
}
