/** A long hex id, shortened to its ends (the whole value on hover and for screen readers). */
export function ShortHash({ value, className = "" }: { value: string; className?: string }) {
  const short = value.length > 20 ? `${value.slice(0, 10)}…${value.slice(-6)}` : value;
  return (
    <span className={`font-mono text-xs ${className}`} title={value}>
      <span aria-hidden>{short}</span>
      <span className="sr-only">{value}</span>
    </span>
  );
}
