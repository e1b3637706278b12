"use server";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { currentRequestContext, requireTenant } from "@/lib/auth/session";
import { getDashboardMode } from "@/lib/dashboard/mode";
import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { runTestCall, type TestCallResult } from "@/lib/onboarding/test-call";

export type TestCallState = { ok: true; result: TestCallResult } | { ok: false; message: string };

const inputSchema = z.object({ endpointId: z.string().trim().max(100).optional() });

/** The overview's "Make a test call" button: test mode only (it pays with the dev wallet). */
export async function runTestCallAction(input: { endpointId?: string }): Promise<TestCallState> {
  const { user, tenant } = await requireTenant("test-calls:run");
  if ((await getDashboardMode()) !== "test") return { ok: false, message: "Test calls run in test mode: switch to test mode first." };
  const parsed = inputSchema.safeParse(input);
  if (!parsed.success) return { ok: false, message: "Pick one of your endpoints." };
  try {
    const result = await runTestCall(
      getDb(),
      user.id,
      tenant.id,
      { endpointId: parsed.data.endpointId || undefined },
      await currentRequestContext(),
    );
    revalidatePath("/dashboard");
    return { ok: true, result };
  } catch (error) {
    if (error instanceof AppError) return { ok: false, message: error.message };
    console.error("[test-call] failed", error);
    return { ok: false, message: "The test call failed on our side. Please try again." };
  }
}
