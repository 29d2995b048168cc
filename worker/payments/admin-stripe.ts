import type { CouponDraft } from "../../db/queries/admin-payments.ts";
import type { Logger } from "../services/logger.ts";
import { createStripe, paymentsConfig, Stripe, type PaymentsEnv } from "./stripe-client.ts";

// What the admin pages ask of Stripe: a refund, and a coupon with its promotion code. Each
// answers ok or a message for the page; the caller writes to D1 only after Stripe said yes.

export type StripeOutcome<T> = { ok: true; value: T } | { ok: false; message: string };

const NOT_CONFIGURED = {
  ok: false,
  message:
    "Payments are not configured on this server (STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET are not set), so Stripe was not asked.",
} as const;

/** Stripe's own words when it refused; a plain sentence when it could not be reached. */
function explain(error: unknown, what: string): string {
  if (error instanceof Stripe.errors.StripeError) {
    if (error.type === "StripeConnectionError" || error.type === "StripeAPIError") {
      return `Stripe could not be reached to ${what}. Nothing was changed; try again in a minute.`;
    }
    return `Stripe refused to ${what} ("${error.message}"). Nothing was changed.`;
  }
  return `Stripe could not ${what}. Nothing was changed; try again in a minute.`;
}

/**
 * Asks Stripe to refund what is left of a payment. The idempotency key is the payment's own,
 * so a second click (or a retry after a lost answer) never refunds twice.
 */
export async function requestStripeRefund(
  env: PaymentsEnv,
  log: Logger,
  paymentIntentId: string,
): Promise<StripeOutcome<{ refundId: string; status: string | null }>> {
  const config = paymentsConfig(env);
  if (!config) return NOT_CONFIGURED;
  try {
    const refund = await createStripe(env, config).refunds.create(
      { payment_intent: paymentIntentId },
      { idempotencyKey: `refund-${paymentIntentId}` },
    );
    return { ok: true, value: { refundId: refund.id, status: refund.status ?? null } };
  } catch (error) {
    log.error("stripe refund failed", { error, paymentIntentId });
    return { ok: false, message: explain(error, "refund this payment") };
  }
}

const epoch = (date: Date) => Math.floor(date.getTime() / 1000);

/**
 * Creates a one-time coupon and the customer-facing promotion code that applies it, with the
 * same expiry and redemption limit on both. If the code is refused, the coupon is deleted
 * again, so Stripe keeps nothing the school does not list.
 */
export async function createStripeCoupon(
  env: PaymentsEnv,
  log: Logger,
  request: CouponDraft,
): Promise<StripeOutcome<{ couponId: string; promotionCodeId: string }>> {
  const config = paymentsConfig(env);
  if (!config) return NOT_CONFIGURED;
  const stripe = createStripe(env, config);
  const { discount } = request;
  const limits = {
    ...(request.expiresAt ? { redeem_by: epoch(request.expiresAt) } : {}),
    ...(request.maxRedemptions ? { max_redemptions: request.maxRedemptions } : {}),
  };
  let couponId: string;
  try {
    const coupon = await stripe.coupons.create({
      ...(discount.kind === "percent"
        ? { percent_off: discount.percentOff }
        : { amount_off: discount.amountOffCents, currency: discount.currency }),
      duration: "once",
      ...limits,
      name: request.code,
    });
    couponId = coupon.id;
  } catch (error) {
    log.error("stripe coupon failed", { error, code: request.code });
    return { ok: false, message: explain(error, "create the coupon") };
  }
  try {
    const promotionCode = await stripe.promotionCodes.create({
      promotion: { type: "coupon", coupon: couponId },
      code: request.code,
      ...(request.expiresAt ? { expires_at: epoch(request.expiresAt) } : {}),
      ...(request.maxRedemptions ? { max_redemptions: request.maxRedemptions } : {}),
    });
    return { ok: true, value: { couponId, promotionCodeId: promotionCode.id } };
  } catch (error) {
    log.error("stripe promotion code failed", { error, code: request.code, couponId });
    try {
      await stripe.coupons.del(couponId);
    } catch (cleanup) {
      log.warn("stripe coupon left without a promotion code", { error: cleanup, couponId });
    }
    return { ok: false, message: explain(error, `create the promotion code ${request.code}`) };
  }
}
