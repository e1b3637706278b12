"use client";
import Link from "next/link";
import { usePathname } from "next/navigation";

const LINKS = [
  { href: "/dashboard", label: "Overview" },
  { href: "/dashboard/endpoints", label: "Endpoints" },
  { href: "/dashboard/keys", label: "API keys" },
  { href: "/dashboard/payments", label: "Payments" },
  { href: "/dashboard/payer-tokens", label: "Payer tokens" },
  { href: "/dashboard/balance", label: "Balance" },
  { href: "/dashboard/webhooks", label: "Webhooks" },
  { href: "/dashboard/payouts", label: "Payouts" },
  { href: "/dashboard/team", label: "Team" },
  { href: "/dashboard/audit", label: "Audit log" },
  { href: "/dashboard/settings", label: "Settings" },
];

export function DashboardNav() {
  const pathname = usePathname();
  return (
    <nav aria-label="Dashboard" className="-mx-4 flex gap-1 overflow-x-auto px-4 sm:mx-0 sm:px-0">
      {LINKS.map((link) => {
        const active = link.href === "/dashboard" ? pathname === link.href : pathname.startsWith(link.href);
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
