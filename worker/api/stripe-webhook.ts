import { Hono } from "hono";
import { applyStripeEvent } from "../payments/webhook.ts";
import {
  createStripe,
  requirePaymentsConfig,
  Stripe,
  webhookCrypto,
  type PaymentsEnv,
} from "../payments/stripe-client.ts";
import type { AppEnv } from "../types.ts";
import { ApiError } from "./errors.ts";

/**
 * POST /api/stripe/webhook. Verification failures are the sender's fault (400, and Stripe
 * stops retrying that delivery); a fault of ours is a 500, so Stripe delivers again later.
 */
export const stripeWebhook = new Hono<AppEnv>().post("/", async (c) => {
  const env = c.env as PaymentsEnv;
  const config = requirePaymentsConfig(env);
  const signature = c.req.header("stripe-signature");
  if (!signature) throw new ApiError("WEBHOOK_SIGNATURE_INVALID", "The Stripe-Signature header is missing.");
  // The exact bytes Stripe signed: parsing before verifying would change them.
  const payload = await c.req.text();
  let event: Stripe.Event;
  try {
    event = await createStripe(env, config).webhooks.constructEventAsync(
      payload,
      signature,
      config.webhookSecret,
      undefined,
      webhookCrypto,
    );
  } catch (error) {
    if (error instanceof Stripe.errors.StripeSignatureVerificationError) {
      throw new ApiError("WEBHOOK_SIGNATURE_INVALID", "The Stripe signature does not match this payload.");
    }
    throw error;
  }
  if (event.livemode !== config.livemode) {
    throw new ApiError(
      "LIVEMODE_MISMATCH",
      `A ${event.livemode ? "live" : "test"} event cannot change a ${config.livemode ? "live" : "test"} deployment.`,
    );
  }
  const { db, log } = c.var.services;
  const outcome = await applyStripeEvent(db, log, event);
  log.info("stripe event", { eventId: event.id, type: event.type, outcome });
  return c.json({ received: true, outcome });
});
