// /metrics with API_PROCESSES > 1: a scrape reaches one process, so that process asks the
// cluster's primary, which gathers every process's metrics (prom-client's
// AggregatorRegistry, over the cluster's IPC channel) and answers with the merged text.
import cluster from "node:cluster";
import { randomUUID } from "node:crypto";
import { AggregatorRegistry } from "prom-client";
import { registry } from "./registry";

// A worker answers the primary's gathering with this registry (prom-client's listener is
// installed by constructing an AggregatorRegistry).
if (cluster.isWorker) {
  new AggregatorRegistry();
  AggregatorRegistry.setRegistries([registry]);
}

const ASK = "tollbooth:metrics?";
const ANSWER = "tollbooth:metrics!";

interface Ask {
  type: typeof ASK;
  id: string;
}
interface Answer {
  type: typeof ANSWER;
  id: string;
  text?: string;
  error?: string;
}

/** In the primary: answers the workers' requests for the merged metrics. */
export function serveClusterMetrics(): void {
  const aggregator = new AggregatorRegistry();
  cluster.on("message", (worker, message: Ask) => {
    if (message?.type !== ASK) return;
    aggregator.clusterMetrics().then(
      (text) => worker.send({ type: ANSWER, id: message.id, text } satisfies Answer),
      (error: Error) => worker.send({ type: ANSWER, id: message.id, error: error.message } satisfies Answer),
    );
  });
}

/** The metrics text: this process's own, or the whole cluster's when it is a worker. */
export async function metricsText(): Promise<string> {
  if (!cluster.isWorker || !process.send) return registry.metrics();
  const id = randomUUID();
  return new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      process.off("message", onMessage);
      reject(new Error("the cluster's primary did not answer with the metrics within 5 s"));
    }, 5000);
    const onMessage = (message: Answer) => {
      if (message?.type !== ANSWER || message.id !== id) return;
      clearTimeout(timer);
      process.off("message", onMessage);
      if (message.text !== undefined) resolve(message.text);
      else reject(new Error(message.error ?? "no metrics"));
    };
    process.on("message", onMessage);
    process.send!({ type: ASK, id } satisfies Ask);
  });
}
