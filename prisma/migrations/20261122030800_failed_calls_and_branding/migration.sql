-- AlterTable
ALTER TABLE "tenants" ADD COLUMN     "accent_color" TEXT,
ADD COLUMN     "logo_url" TEXT;

-- CreateTable
CREATE TABLE "failed_calls" (
    "payment_hash" TEXT NOT NULL,
    "redemption" INTEGER NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "endpoint" TEXT NOT NULL,
    "status" INTEGER,
    "reason" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "failed_calls_pkey" PRIMARY KEY ("payment_hash","redemption")
);

-- CreateIndex
CREATE INDEX "failed_calls_tenant_id_created_at_idx" ON "failed_calls"("tenant_id", "created_at");

