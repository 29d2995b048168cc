import { DurableObject } from "cloudflare:workers";

export type RateLimitPolicy = {
  /** Requests allowed in a burst. */
  capacity: number;
  /** Time for an empty bucket to fill up again. */
  windowSeconds: number;
};

export type RateLimitDecision = {
  allowed: boolean;
  remaining: number;
  retryAfterSeconds: number;
};

type Bucket = { tokens: number; updatedAt: number };

/**
 * A token bucket per key (one object per client IP or account, named by the caller).
 * A Durable Object processes one request at a time, so concurrent requests from the
 * same client can never both take the last token.
 */
export class RateLimiter extends DurableObject<Env> {
  async consume(policy: RateLimitPolicy): Promise<RateLimitDecision> {
    const now = Date.now();
    const refillPerMs = policy.capacity / (policy.windowSeconds * 1000);
    const stored = await this.ctx.storage.get<Bucket>("bucket");
    const elapsed = stored ? Math.max(0, now - stored.updatedAt) : 0;
    const available = stored ? Math.min(policy.capacity, stored.tokens + elapsed * refillPerMs) : policy.capacity;

    const allowed = available >= 1;
    const tokens = allowed ? available - 1 : available;
    await this.ctx.storage.put<Bucket>("bucket", { tokens, updatedAt: now });
    await this.ctx.storage.put("policy", policy);
    // Forget idle clients once their bucket would be full again.
    await this.ctx.storage.setAlarm(now + Math.ceil((policy.capacity - tokens) / refillPerMs));

    return {
      allowed,
      remaining: Math.floor(tokens),
      retryAfterSeconds: allowed ? 0 : Math.ceil((1 - tokens) / refillPerMs / 1000),
    };
  }

  // Alarms may run more than once; deleting an already-empty store is harmless, and a
  // bucket that was drawn on since the alarm was set is left for the newer alarm.
  override async alarm() {
    const bucket = await this.ctx.storage.get<Bucket>("bucket");
    const policy = await this.ctx.storage.get<RateLimitPolicy>("policy");
    if (!bucket || !policy) return this.ctx.storage.deleteAll();
    const refillPerMs = policy.capacity / (policy.windowSeconds * 1000);
    const fullAt = bucket.updatedAt + (policy.capacity - bucket.tokens) / refillPerMs;
    if (Date.now() >= fullAt) await this.ctx.storage.deleteAll();
  }
}
