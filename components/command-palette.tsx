"use client";
// Ctrl/⌘+K: search the active workspace's payments (by the first characters of their
// hash), endpoints and keys in the dashboard's mode, and go there. A combobox in a modal
// dialog (WAI-ARIA): focus stays in the input, arrows move through the results, Enter
// opens one, Esc closes and gives focus back to where it was.
import { useRouter } from "next/navigation";
import { useCallback, useEffect, useId, useRef, useState } from "react";
import type { SearchResults } from "@/lib/dashboard/search";
import { formatMsat } from "@/lib/format/amount";
import { Spinner } from "./ui/button";

interface Hit {
  id: string;
  group: "Payments" | "Endpoints" | "API keys";
  title: string;
  detail: string;
  href: string;
}

type Status = { state: "idle" } | { state: "loading" } | { state: "done"; hits: Hit[] } | { state: "error"; message: string };

function toHits(results: SearchResults): Hit[] {
  return [
    ...results.payments.map((p) => ({
      id: `payment-${p.paymentHash}`,
      group: "Payments" as const,
      title: `${p.paymentHash.slice(0, 16)}…`,
      detail: [p.endpoint, formatMsat(p.amountMsat), p.settledAt?.slice(0, 10)].filter(Boolean).join(" · "),
      href: `/dashboard/payments/${p.paymentHash}`,
    })),
    ...results.endpoints.map((e) => ({
      id: `endpoint-${e.id}`,
      group: "Endpoints" as const,
      title: `${e.method} ${e.path}`,
      detail: `${e.priceSats} sats${e.enabled ? "" : " · disabled"} · its payments`,
      href: `/dashboard/payments?endpoint=${encodeURIComponent(`${e.method} ${e.path}`)}`,
    })),
    ...results.keys.map((k) => ({
      id: `key-${k.id}`,
      group: "API keys" as const,
      title: k.name,
      detail: `${k.prefix}…${k.lastFour}${k.revoked ? " · revoked" : ""}`,
      href: `/dashboard/keys/${k.id}`,
    })),
  ];
}

const isMac = () => typeof navigator !== "undefined" && /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent);

export function CommandPalette({ mode }: { mode: "test" | "live" }) {
  const [open, setOpen] = useState(false);
  const [shortcut, setShortcut] = useState("Ctrl K");
  const opener = useRef<HTMLElement | null>(null);

  const show = useCallback(() => {
    opener.current = document.activeElement as HTMLElement | null;
    setOpen(true);
  }, []);
  const close = useCallback(() => {
    setOpen(false);
    opener.current?.focus?.();
  }, []);

  useEffect(() => {
    if (isMac()) setShortcut("⌘K");
    const onKey = (event: KeyboardEvent) => {
      if ((event.metaKey || event.ctrlKey) && !event.altKey && event.key.toLowerCase() === "k") {
        event.preventDefault();
        if (open) close();
        else show();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [open, show, close]);

  return (
    <>
      <button
        type="button"
        onClick={show}
        aria-haspopup="dialog"
        aria-keyshortcuts="Control+K Meta+K"
        className="flex items-center gap-2 rounded-md border border-stone-300 bg-white px-2 py-1 text-sm text-stone-600 hover:bg-stone-100"
        data-testid="open-search"
      >
        <span aria-hidden>⌕</span>
        <span>Search</span>
        <kbd className="hidden rounded border border-stone-200 bg-stone-50 px-1 font-sans text-[11px] text-stone-500 sm:inline">
          {shortcut}
        </kbd>
      </button>
      {open && <PaletteDialog mode={mode} onClose={close} />}
    </>
  );
}

function PaletteDialog({ mode, onClose }: { mode: "test" | "live"; onClose: () => void }) {
  const router = useRouter();
  const [query, setQuery] = useState("");
  const [status, setStatus] = useState<Status>({ state: "idle" });
  const [active, setActive] = useState(0);
  const input = useRef<HTMLInputElement>(null);
  const panel = useRef<HTMLDivElement>(null);
  const titleId = useId();
  const listId = useId();
  const hintId = useId();

  useEffect(() => {
    input.current?.focus();
    const overflow = document.body.style.overflow;
    document.body.style.overflow = "hidden";
    // A click outside the panel (on the dimmed page) closes it.
    const onPointer = (event: MouseEvent) => {
      if (!panel.current?.contains(event.target as Node)) onClose();
    };
    document.addEventListener("mousedown", onPointer);
    return () => {
      document.body.style.overflow = overflow;
      document.removeEventListener("mousedown", onPointer);
    };
  }, [onClose]);

  // Debounced, and a newer query cancels the one in flight (results never arrive out of order).
  useEffect(() => {
    const q = query.trim();
    if (!q) {
      setStatus({ state: "idle" });
      return;
    }
    setStatus({ state: "loading" });
    const controller = new AbortController();
    const timer = window.setTimeout(async () => {
      try {
        const response = await fetch(`/dashboard/search?q=${encodeURIComponent(q)}`, {
          signal: controller.signal,
          headers: { accept: "application/json" },
        });
        const body = await response.json().catch(() => null);
        if (!response.ok || !body) throw new Error(body?.error?.message ?? "Search failed. Reload the page and try again.");
        setStatus({ state: "done", hits: toHits(body as SearchResults) });
        setActive(0);
      } catch (error) {
        if (controller.signal.aborted) return;
        setStatus({ state: "error", message: error instanceof Error ? error.message : "Search failed." });
      }
    }, 150);
    return () => {
      controller.abort();
      window.clearTimeout(timer);
    };
  }, [query]);

  const hits = status.state === "done" ? status.hits : [];
  const go = (hit: Hit | undefined) => {
    if (!hit) return;
    onClose();
    router.push(hit.href);
  };

  function onKeyDown(event: React.KeyboardEvent) {
    if (event.key === "Escape") {
      event.preventDefault();
      onClose();
    } else if (event.key === "ArrowDown" && hits.length) {
      event.preventDefault();
      setActive((i) => (i + 1) % hits.length);
    } else if (event.key === "ArrowUp" && hits.length) {
      event.preventDefault();
      setActive((i) => (i - 1 + hits.length) % hits.length);
    } else if (event.key === "Enter") {
      event.preventDefault();
      go(hits[active]);
    } else if (event.key === "Tab") {
      // The input is the dialog's one control: keep focus inside the dialog.
      event.preventDefault();
    }
  }

  useEffect(() => {
    document.getElementById(`${listId}-${active}`)?.scrollIntoView({ block: "nearest" });
  }, [active, listId]);

  const groups = [...new Set(hits.map((h) => h.group))];
  return (
    <div className="fixed inset-0 z-50 flex items-start justify-center bg-stone-900/40 px-4 pt-[10vh]">
      <div
        ref={panel}
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        className="w-full max-w-lg overflow-hidden rounded-xl border border-stone-200 bg-white shadow-xl"
        onKeyDown={onKeyDown}
        data-testid="command-palette"
      >
        <h2 id={titleId} className="sr-only">
          Search payments, endpoints and keys
        </h2>
        <div className="flex items-center gap-2 border-b border-stone-200 px-3">
          <span aria-hidden className="text-stone-400">
            ⌕
          </span>
          <input
            ref={input}
            role="combobox"
            aria-expanded={hits.length > 0}
            aria-controls={listId}
            aria-autocomplete="list"
            aria-activedescendant={hits.length ? `${listId}-${active}` : undefined}
            aria-describedby={hintId}
            aria-label="Search"
            value={query}
            onChange={(event) => setQuery(event.target.value)}
            placeholder="Payment hash, endpoint or key name"
            autoComplete="off"
            spellCheck={false}
            className="min-w-0 flex-1 bg-transparent py-3 text-base outline-none sm:text-sm"
          />
          {status.state === "loading" && <Spinner />}
          <kbd className="rounded border border-stone-200 bg-stone-50 px-1 text-[11px] text-stone-500">Esc</kbd>
        </div>
        <div className="max-h-[60vh] overflow-y-auto">
          {hits.length > 0 && (
            <div id={listId} role="listbox" aria-label="Results" className="py-1">
              {groups.map((group) => (
                // biome-ignore lint/a11y/useSemanticElements: a listbox groups its options with role=group (a fieldset is not allowed in one)
                <div key={group} role="group" aria-label={group}>
                  <p className="px-3 pt-2 pb-1 text-xs font-medium uppercase text-stone-500" aria-hidden>
                    {group}
                  </p>
                  {hits.map((hit, index) =>
                    hit.group === group ? (
                      // biome-ignore lint/a11y/useKeyWithClickEvents: the combobox input drives the options from the keyboard (aria-activedescendant)
                      <div
                        key={hit.id}
                        id={`${listId}-${index}`}
                        role="option"
                        aria-selected={index === active}
                        tabIndex={-1}
                        onMouseDown={(event) => event.preventDefault()}
                        onMouseMove={() => setActive(index)}
                        onClick={() => go(hit)}
                        className={`cursor-pointer px-3 py-2 ${index === active ? "bg-stone-100" : ""}`}
                      >
                        <p className={`truncate text-sm text-stone-900 ${group === "Payments" ? "font-mono" : "font-medium"}`}>
                          {hit.title}
                        </p>
                        <p className="truncate text-xs text-stone-500">{hit.detail}</p>
                      </div>
                    ) : null,
                  )}
                </div>
              ))}
            </div>
          )}
          <p id={hintId} className="px-3 py-3 text-xs text-stone-500" role="status">
            {status.state === "idle" &&
              `Searches this workspace's ${mode}-mode payments (hash, from its first 4 characters), endpoints and keys.`}
            {status.state === "loading" && "Searching…"}
            {status.state === "done" &&
              (hits.length
                ? `${hits.length} ${hits.length === 1 ? "result" : "results"}. ↑↓ to choose, Enter to open.`
                : `Nothing matches “${query.trim()}” in ${mode} mode. Payment hashes match from their first characters.`)}
            {status.state === "error" && <span className="text-red-700">{status.message}</span>}
          </p>
        </div>
      </div>
    </div>
  );
}
