// GET /dashboard/live: the overview's 20 most recent payments, polled every few seconds so
// new payments arrive without a reload. Session auth (the dashboard's, not an API key); the
// active tenant and mode come from the dashboard's cookies, and membership is re-checked.
import { activeMembership, getSessionUser } from "@/lib/auth/session";
import { getDashboardMode } from "@/lib/dashboard/mode";
import { getLivePayments } from "@/lib/dashboard/live-payments";
import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors";

export const dynamic = "force-dynamic";

const NO_STORE = { "cache-control": "no-store" };
const fail = (error: AppError) => Response.json(error.toJSON(), { status: error.status, headers: NO_STORE });

export async function GET() {
  const user = await getSessionUser();
  if (!user) return fail(new AppError("authentication_error", "not_signed_in", "Sign in again."));
  const { active } = await activeMembership(user.id);
  if (!active) return Response.json({ recent: [] }, { headers: NO_STORE });
  try {
    const recent = await getLivePayments(getDb(), { userId: user.id, tenantId: active.tenantId, mode: await getDashboardMode() });
    return Response.json({ recent }, { headers: NO_STORE });
  } catch (error) {
    if (error instanceof AppError) return fail(error);
    throw error;
  }
}
