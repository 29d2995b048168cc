import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { type RateLimiter } from "../../worker/durable-objects/rate-limiter.ts";
import { request } from "./helpers.ts";

const policy = { capacity: 3, windowSeconds: 60 };

describe("RateLimiter Durable Object", () => {
  it("allows a burst up to capacity, then refuses with a retry time", async () => {
    const limiter = env.RATE_LIMITER.get(env.RATE_LIMITER.idFromName("test:burst"));
    const decisions = [];
    for (let i = 0; i < 4; i++) decisions.push(await limiter.consume(policy));
    expect(decisions.map((decision) => decision.allowed)).toEqual([true, true, true, false]);
    expect(decisions[2]!.remaining).toBe(0);
    expect(decisions[3]!.retryAfterSeconds).toBeGreaterThan(0);
    expect(decisions[3]!.retryAfterSeconds).toBeLessThanOrEqual(20);
  });

  it("never over-admits concurrent requests for the same key", async () => {
    const limiter = env.RATE_LIMITER.get(env.RATE_LIMITER.idFromName("test:concurrent"));
    const decisions = await Promise.all(Array.from({ length: 10 }, () => limiter.consume(policy)));
    expect(decisions.filter((decision) => decision.allowed)).toHaveLength(3);
  });

  it("forgets a client once its bucket has refilled, and not before (alarm)", async () => {
    const limiter = env.RATE_LIMITER.get(env.RATE_LIMITER.idFromName("test:alarm"));
    await limiter.consume(policy);

    // An early (or repeated) alarm leaves a bucket that is still refilling alone.
    expect(await runDurableObjectAlarm(limiter)).toBe(true);
    await runInDurableObject(limiter, async (_instance: RateLimiter, state) => {
      expect(await state.storage.get("bucket")).toMatchObject({ tokens: 2 });
      // Age the bucket past its refill time, then schedule the alarm again.
      await state.storage.put("bucket", { tokens: 2, updatedAt: Date.now() - 60_000 });
      await state.storage.setAlarm(Date.now() + 60_000);
    });

    expect(await runDurableObjectAlarm(limiter)).toBe(true);
    await runInDurableObject(limiter, async (_instance: RateLimiter, state) => {
      expect(await state.storage.get("bucket")).toBeUndefined();
    });
    // A forgotten client starts again with a full bucket.
    expect((await limiter.consume(policy)).remaining).toBe(2);
  });

  it("limits /api/search per client address with 429 and Retry-After", async () => {
    const headers = { "cf-connecting-ip": "203.0.113.9" };
    // The bucket refills one token a second while the requests run, so on a slow machine a
    // few more than the burst get through: count them instead of assuming the 61st is refused.
    let allowed = 0;
    let response: Response | undefined;
    while (allowed < 120) {
      response = await request("/api/search?q=docker", { headers });
      if (response.status !== 200) break;
      allowed++;
    }
    expect(allowed).toBeGreaterThanOrEqual(60);
    expect(allowed).toBeLessThan(120);
    expect(response!.status).toBe(429);
    expect(Number(response!.headers.get("retry-after"))).toBeGreaterThan(0);
    const body = (await response!.json()) as { error: { code: string } };
    expect(body.error.code).toBe("RATE_LIMITED");
    const other = await request("/api/search?q=docker", { headers: { "cf-connecting-ip": "203.0.113.10" } });
    expect(other.status).toBe(200);
  });
});
