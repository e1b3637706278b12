import Link from "next/link";
import { buttonClass, type ButtonVariant } from "@/components/ui/button-class";

/** A link styled as a button (a server component: no JavaScript shipped for it). */
export function ButtonLink({
  href,
  variant = "primary",
  className = "",
  children,
}: {
  href: string;
  variant?: ButtonVariant;
  className?: string;
  children: React.ReactNode;
}) {
  return (
    <Link href={href} className={`${buttonClass(variant)} ${className}`}>
      {children}
    </Link>
  );
}
