// Random bytes for the hot path's secrets (root keys, token ids, preimages and payment
// secrets): drawn from node:crypto's CSPRNG 4 KiB at a time instead of one call per secret,
// as Node's own randomUUID() caches its entropy. Each call into the CSPRNG costs the same
// few microseconds whatever its size, and an invoice needs three (~2% of its CPU,
// bench/README.md). Bytes handed out are copied and wiped from the pool, so the pool only
// ever holds secrets not issued yet.
import { randomFillSync } from "node:crypto";

const POOL_BYTES = 4096;
const pool = Buffer.alloc(POOL_BYTES);
let offset = POOL_BYTES;

/** `length` CSPRNG bytes, as a Buffer of its own (never a view into a pool). */
export function pooledRandomBytes(length: number): Buffer {
  if (length > POOL_BYTES / 4) return randomFillSync(Buffer.alloc(length));
  if (offset + length > POOL_BYTES) {
    randomFillSync(pool);
    offset = 0;
  }
  // Buffer.alloc, not Buffer.from: its memory is its own, never Node's shared 8 KiB slab.
  const bytes = Buffer.alloc(length);
  pool.copy(bytes, 0, offset, offset + length);
  pool.fill(0, offset, offset + length);
  offset += length;
  return bytes;
}
