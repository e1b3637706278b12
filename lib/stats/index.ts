// The stats data layer: one query per file in queries/, the types in types.ts.
export { getOverviewStats } from "./queries/overview";
export { getBalance } from "./queries/balance";
export { getFunnel } from "./queries/funnel";
export { getFailedCalls } from "./queries/failed-calls";
export { listPayments, MAX_PAGE_SIZE } from "./queries/payments";
export { getPayment } from "./queries/payment";
export { listBalanceHistory } from "./queries/balance-history";
export type * from "./types";
