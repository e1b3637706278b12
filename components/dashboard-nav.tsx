"use client";
import { NavTabs } from "@/components/ui/nav-tabs";

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
  return <NavTabs label="Dashboard" links={LINKS} />;
}
