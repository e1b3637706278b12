import Link from "next/link";

export default function AuthLayout({ children }: { children: React.ReactNode }) {
  return (
    <div className="flex min-h-dvh flex-col items-center px-4 py-10 sm:py-16">
      <Link href="/" className="mb-8 text-lg font-semibold tracking-tight">
        Toll<span className="text-brand-600">booth</span>
      </Link>
      <main className="w-full max-w-sm">{children}</main>
    </div>
  );
}
