import Stripe from "stripe";
import { ApiError } from "../api/errors.ts";

/**
 * The bindings payments read. STRIPE_FETCH never comes from wrangler.toml: tests hand the
 * Worker a fake `fetch` there to see exactly what would be sent to Stripe.
 */
export type PaymentsEnv = Env & { STRIPE_FETCH?: typeof fetch };

export type PaymentsConfig = {
  secretKey: string;
  webhookSecret: string;
  /** Live keys take live events only, test keys test events only. */
  livemode: boolean;
  /** The self-paced subscription's monthly price, in the smallest currency unit. */
  monthlyPriceCents: number;
  currency: string;
};

/** What the app knows about payments; null when Stripe keys are not set (the local default). */
export function paymentsConfig(env: PaymentsEnv): PaymentsConfig | null {
  const secretKey = env.STRIPE_SECRET_KEY?.trim() ?? "";
  const webhookSecret = env.STRIPE_WEBHOOK_SECRET?.trim() ?? "";
  if (!secretKey || !webhookSecret) return null;
  const monthlyPriceCents = Number.parseInt(env.SUBSCRIPTION_MONTHLY_CENTS ?? "", 10);
  return {
    secretKey,
    webhookSecret,
    livemode: secretKey.startsWith("sk_live_") || secretKey.startsWith("rk_live_"),
    monthlyPriceCents: Number.isFinite(monthlyPriceCents) && monthlyPriceCents > 0 ? monthlyPriceCents : 2900,
    currency: (env.SUBSCRIPTION_CURRENCY || "usd").toLowerCase(),
  };
}

/** The configuration, or the one refusal every payment endpoint gives when there is none. */
export function requirePaymentsConfig(env: PaymentsEnv): PaymentsConfig {
  const config = paymentsConfig(env);
  if (!config) throw new ApiError("PAYMENTS_NOT_CONFIGURED", "Payments are not configured on this server.");
  return config;
}

/**
 * One Stripe client per request, talking through `fetch` (workerd has no Node HTTP).
 * STRIPE_API_BASE points it at a local stand-in for Stripe's API (browser tests).
 */
export function createStripe(env: PaymentsEnv, config: PaymentsConfig): Stripe {
  const base = env.STRIPE_API_BASE ? new URL(env.STRIPE_API_BASE) : null;
  return new Stripe(config.secretKey, {
    httpClient: Stripe.createFetchHttpClient(env.STRIPE_FETCH),
    maxNetworkRetries: 1,
    timeout: 10_000,
    ...(base ? { host: base.hostname, port: base.port, protocol: base.protocol === "http:" ? "http" : "https" } : {}),
  });
}

export const webhookCrypto = Stripe.createSubtleCryptoProvider();
export { Stripe };
