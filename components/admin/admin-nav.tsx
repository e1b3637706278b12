"use client";
import { NavTabs } from "@/components/ui/nav-tabs";

const LINKS = [
  { href: "/admin", label: "Overview" },
  { href: "/admin/tenants", label: "Tenants" },
  { href: "/admin/jobs", label: "Job queues" },
  { href: "/admin/security", label: "Security log" },
  { href: "/admin/audit", label: "Audit log" },
];

export function AdminNav() {
  return <NavTabs label="Operator console" links={LINKS} />;
}
