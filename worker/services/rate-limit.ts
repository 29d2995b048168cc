import { ApiError } from "../api/errors.ts";
import type { RateLimitDecision, RateLimitPolicy } from "../durable-objects/rate-limiter.ts";

/** The documented limits (README, "Rate limits"); windows are how long a full refill takes. */
export const RATE_LIMITS = {
  /** Full-text search, per client address. */
  search: { capacity: 60, windowSeconds: 60 },
  /** Login attempts per client address and per account (email), successful ones included. */
  "login-ip": { capacity: 30, windowSeconds: 15 * 60 },
  "login-account": { capacity: 10, windowSeconds: 15 * 60 },
  /** Password-reset emails per client address and per account. */
  "reset-ip": { capacity: 20, windowSeconds: 60 * 60 },
  "reset-account": { capacity: 5, windowSeconds: 60 * 60 },
  /** New accounts per client address. */
  "register-ip": { capacity: 10, windowSeconds: 60 * 60 },
  /** Discussion posts and replies per member. */
  "discussion-post": { capacity: 10, windowSeconds: 5 * 60 },
} satisfies Record<string, RateLimitPolicy>;

export type RateLimitName = keyof typeof RATE_LIMITS;

export function clientAddress(request: Request): string {
  return request.headers.get("cf-connecting-ip") ?? "unknown";
}

function consume(env: Env, name: RateLimitName, key: string): Promise<RateLimitDecision> {
  const limiter = env.RATE_LIMITER.get(env.RATE_LIMITER.idFromName(`${name}:${key}`));
  return limiter.consume(RATE_LIMITS[name]);
}

/**
 * Takes a token from every named limit at once (an attempt counts against the client
 * and the account alike) and returns how long to wait if any of them is exhausted.
 */
export async function checkRateLimits(env: Env, limits: Array<[RateLimitName, string]>): Promise<number | null> {
  const decisions = await Promise.all(limits.map(([name, key]) => consume(env, name, key)));
  const refused = decisions.filter((decision) => !decision.allowed);
  return refused.length > 0 ? Math.max(...refused.map((decision) => decision.retryAfterSeconds)) : null;
}

export function rateLimitedError(retryAfterSeconds: number): ApiError {
  return new ApiError("RATE_LIMITED", `Too many attempts. Try again in ${formatWait(retryAfterSeconds)}.`, {
    headers: { "retry-after": String(retryAfterSeconds) },
  });
}

function formatWait(seconds: number): string {
  return seconds < 90 ? `${seconds} seconds` : `${Math.ceil(seconds / 60)} minutes`;
}

/** Throws RATE_LIMITED (429, with Retry-After) when `key` has used up the named limit. */
export async function enforceRateLimit(env: Env, name: RateLimitName, key: string): Promise<void> {
  const wait = await checkRateLimits(env, [[name, key]]);
  if (wait !== null) throw rateLimitedError(wait);
}
