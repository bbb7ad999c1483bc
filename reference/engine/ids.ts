/**
 * Random ids for sessions and sockets, cut from a pool of random bytes: one randomFillSync call
 * per 256 ids instead of a randomBytes call per id (a handshake makes two). Every id takes
 * bytes no other id had; the pool is refilled with fresh random bytes once used up.
 */
import { randomFillSync } from "node:crypto";

const ID_BYTES = 15;
const pool = Buffer.allocUnsafeSlow(ID_BYTES * 256);
let used = pool.length;

/** 15 random bytes (120 bits) as 20 characters of URL-safe base64. */
export function randomId(): string {
  if (used === pool.length) {
    randomFillSync(pool);
    used = 0;
  }
  const id = pool.toString("base64url", used, used + ID_BYTES);
  used += ID_BYTES;
  return id;
}
