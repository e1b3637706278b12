"use client";
// A row of section links with the current one highlighted; scrolls sideways on a phone.
// The first link is the section's root: active only on exactly its path.
import Link from "next/link";
import { usePathname } from "next/navigation";

export interface NavLink {
  href: string;
  label: string;
}

export function NavTabs({ label, links }: { label: string; links: readonly NavLink[] }) {
  const pathname = usePathname();
  const root = links[0]?.href;
  return (
    <nav aria-label={label} className="-mx-4 flex gap-1 overflow-x-auto px-4 sm:mx-0 sm:px-0">
      {links.map((link) => {
        const active = link.href === root ? pathname === link.href : pathname.startsWith(link.href);
        return (
          <Link
            key={link.href}
            href={link.href}
            aria-current={active ? "page" : undefined}
            className={`whitespace-nowrap rounded-md px-3 py-1.5 text-sm ${active ? "bg-stone-900 text-white" : "text-stone-600 hover:bg-stone-200"}`}
          >
            {link.label}
          </Link>
        );
      })}
    </nav>
  );
}
