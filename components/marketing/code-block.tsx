import { Fragment } from "react";
import { CopyButton } from "./copy-button";

type Lang = "ts" | "http" | "sh";

/**
 * A dark code block. The <pre> scrolls horizontally inside itself, so long lines
 * never widen the page; `min-w-0` lets it shrink inside grid and flex parents.
 */
export function CodeBlock({
  code,
  lang,
  caption,
  copy = false,
  className = "",
}: {
  code: string;
  lang: Lang;
  /** Shown in the bar above the code: a file name or a short description. */
  caption: string;
  copy?: boolean;
  className?: string;
}) {
  const copyText = lang === "sh" ? code.replace(/^\$ /gm, "") : code;
  return (
    <figure
      className={`relative min-w-0 max-w-full overflow-hidden rounded-xl border border-stone-800 bg-stone-950 shadow-sm ${className}`}
    >
      <figcaption
        className={`truncate border-b border-stone-800 px-4 py-2 font-mono text-xs leading-5 text-stone-400 ${copy ? "pr-24" : ""}`}
      >
        {caption}
      </figcaption>
      {copy && (
        <div className="absolute top-1.5 right-2">
          <CopyButton text={copyText} label={`Copy ${caption}`} />
        </div>
      )}
      <pre
        tabIndex={0}
        className="overflow-x-auto p-4 font-mono text-[13px] leading-6 text-stone-100 focus:outline-none focus-visible:ring-2 focus-visible:ring-inset focus-visible:ring-brand-500 sm:text-sm"
      >
        <code>{highlight(code, lang)}</code>
      </pre>
    </figure>
  );
}

const TS_TOKEN =
  /(\/\/[^\n]*)|("(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|`[^`]*`)|\b(import|from|export|const|let|return|async|await|function|new)\b|\b(\d+)\b/g;
const STRING = /"(?:[^"\\\n]|\\.)*"/g;

function highlight(code: string, lang: Lang): React.ReactNode {
  if (lang === "ts") return tokenize(code);
  if (lang === "sh") {
    return code.split("\n").map((line, i) => (
      <Fragment key={i}>
        {i > 0 && "\n"}
        {line.startsWith("$ ") ? (
          <>
            <span className="select-none text-stone-500">$ </span>
            {line.slice(2)}
          </>
        ) : (
          line
        )}
      </Fragment>
    ));
  }
  return code.split("\n").map((line, i) => (
    <Fragment key={i}>
      {i > 0 && "\n"}
      {httpLine(line)}
    </Fragment>
  ));
}

function tokenize(code: string): React.ReactNode[] {
  const out: React.ReactNode[] = [];
  let last = 0;
  for (const m of code.matchAll(TS_TOKEN)) {
    const at = m.index ?? 0;
    if (at > last) out.push(code.slice(last, at));
    const cls = m[1] ? "text-stone-500" : m[2] ? "text-emerald-300" : m[3] ? "text-brand-500" : "text-sky-300";
    out.push(
      <span key={at} className={cls}>
        {m[0]}
      </span>,
    );
    last = at + m[0].length;
  }
  if (last < code.length) out.push(code.slice(last));
  return out;
}

function strings(text: string): React.ReactNode[] {
  const out: React.ReactNode[] = [];
  let last = 0;
  for (const m of text.matchAll(STRING)) {
    const at = m.index ?? 0;
    if (at > last) out.push(text.slice(last, at));
    out.push(
      <span key={at} className="text-emerald-300">
        {m[0]}
      </span>,
    );
    last = at + m[0].length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

function httpLine(line: string): React.ReactNode {
  if (line.startsWith("#")) return <span className="text-stone-500">{line}</span>;
  if (/^HTTP\/[\d.]+ \d{3}/.test(line) || /^[A-Z]+ \S+ HTTP\/[\d.]+$/.test(line)) {
    return <span className="font-semibold text-white">{line}</span>;
  }
  const header = /^([A-Za-z][A-Za-z0-9-]*):(.*)$/.exec(line);
  if (header) {
    return (
      <>
        <span className="text-brand-500">{header[1]}</span>:{strings(header[2])}
      </>
    );
  }
  return strings(line);
}
