import Link from "next/link";

/** The Tollbooth mark and name; links home. */
export function Wordmark({ className = "" }: { className?: string }) {
  return (
    <Link
      href="/"
      className={`inline-flex items-center gap-2 rounded-md text-base font-semibold tracking-tight text-stone-900 focus:outline-none focus-visible:ring-2 focus-visible:ring-brand-500 focus-visible:ring-offset-2 ${className}`}
    >
      <svg aria-hidden viewBox="0 0 24 24" className="size-6 shrink-0" fill="none">
        <rect x="2" y="2" width="20" height="20" rx="5" className="fill-stone-900" />
        <path d="M7 7v10" stroke="#f59e0b" strokeWidth="2.5" strokeLinecap="round" />
        <path d="M10.5 9.5h7" stroke="#fff" strokeWidth="2.5" strokeLinecap="round" />
      </svg>
      Tollbooth
    </Link>
  );
}
