"use client";
import { useState } from "react";

/** Copies `text` to the clipboard; falls back to execCommand where the Clipboard API is missing (plain http). */
const DARK = "rounded px-2 py-1 text-xs font-medium text-stone-400 transition hover:bg-stone-800 hover:text-stone-100";

/** `className` restyles it (the default suits the dark code blocks). */
export function CopyButton({ text, label = "Copy code", className = DARK }: { text: string; label?: string; className?: string }) {
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");

  async function copy() {
    let ok = false;
    try {
      await navigator.clipboard.writeText(text);
      ok = true;
    } catch {
      const area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.style.position = "fixed";
      area.style.opacity = "0";
      document.body.appendChild(area);
      area.select();
      try {
        ok = document.execCommand("copy");
      } catch {
        ok = false;
      }
      area.remove();
    }
    setState(ok ? "copied" : "failed");
    window.setTimeout(() => setState("idle"), 1800);
  }

  return (
    <button
      type="button"
      onClick={copy}
      aria-label={label}
      className={`${className} focus:outline-none focus-visible:ring-2 focus-visible:ring-brand-500`}
    >
      <span aria-live="polite">{state === "copied" ? "Copied" : state === "failed" ? "Copy failed" : "Copy"}</span>
    </button>
  );
}
