// Prometheus metrics (prom-client). Counters and histograms of what a process does (HTTP
// requests, invoices created, verifications) are kept per process where things happen;
// numbers about shared state (queue depth, ledger totals, settlements, payouts, webhook
// deliveries) are read from Postgres when scraped (lib/metrics/collect.ts), so every
// process reports the same, exact values. /metrics (lib/api/routes/metrics.ts) serves
// them behind the operator token; with API_PROCESSES > 1 the cluster's primary merges every
// process's numbers (lib/metrics/cluster.ts).
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

export const registry = new Registry();
collectDefaultMetrics({ register: registry, prefix: "tollbooth_" });

export const httpRequests = new Counter({
  name: "tollbooth_http_requests_total",
  help: "HTTP requests answered, by method, route pattern and status",
  labelNames: ["method", "route", "status"] as const,
  registers: [registry],
});

export const httpDuration = new Histogram({
  name: "tollbooth_http_request_duration_seconds",
  help: "Time to answer, by method, route pattern and status class",
  labelNames: ["method", "route", "status_class"] as const,
  buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [registry],
});

export const invoicesCreated = new Counter({
  name: "tollbooth_invoices_created_total",
  help: "Invoices (402 challenges) created, by mode",
  labelNames: ["mode"] as const,
  registers: [registry],
});

export const verifications = new Counter({
  name: "tollbooth_verifications_total",
  help: "L402 verifications, by mode and result (valid, or the refusal code)",
  labelNames: ["mode", "result"] as const,
  registers: [registry],
});

/** A number read from Postgres at scrape time (the same rows for every process, hence
 *  `aggregator: "first"`). Totals that only grow are exposed as counters. */
export function sharedGauge<L extends string>(
  name: string,
  help: string,
  labelNames: readonly L[],
  collect: (gauge: Gauge<L>) => Promise<void>,
) {
  return new Gauge<L>({
    name,
    help,
    labelNames,
    registers: [registry],
    aggregator: "first",
    async collect() {
      await collect(this).catch(() => {}); // the database away: the scrape still answers
    },
  });
}
