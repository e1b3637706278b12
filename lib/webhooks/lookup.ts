// Pages look endpoints and deliveries up by id; another tenant's id (or the other mode's) is
// simply not there.
import type { Db } from "../db/client";
import { AppError } from "../errors";
import { findEndpointOr404, type WebhookScope } from "./endpoints";
import { findDeliveryOr404 } from "./manual";

async function orNull<T>(work: Promise<T>): Promise<T | null> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof AppError && (error.type === "not_found_error" || error.type === "invalid_request_error")) return null;
    throw error;
  }
}

export const endpointOrNull = (db: Db, scope: WebhookScope, id: string) => orNull(findEndpointOr404(db, scope, id));
export const deliveryOrNull = (db: Db, scope: WebhookScope, id: string) => orNull(findDeliveryOr404(db, scope, id));
