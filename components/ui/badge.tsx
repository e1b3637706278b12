const TONES = {
  neutral: "bg-stone-100 text-stone-700 ring-stone-200",
  amber: "bg-amber-100 text-amber-900 ring-amber-200",
  green: "bg-emerald-50 text-emerald-800 ring-emerald-200",
  red: "bg-red-50 text-red-800 ring-red-200",
} as const;

export function Badge({
  tone = "neutral",
  children,
  ...rest
}: { tone?: keyof typeof TONES; children: React.ReactNode } & React.HTMLAttributes<HTMLSpanElement>) {
  return (
    <span className={`inline-flex items-center rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${TONES[tone]}`} {...rest}>
      {children}
    </span>
  );
}
