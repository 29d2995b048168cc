import type { Database } from "../../db/client.ts";
import {
  abandonCheckout,
  attachStripeSession,
  createSubscriptionCheckout,
  customerIdFor,
  getCheckoutState,
  holdSeat,
} from "../../db/queries/checkouts.ts";
import { expireCheckout } from "../../db/queries/payment-effects.ts";
import { ApiError } from "../api/errors.ts";
import type { CurrentUser } from "../auth/context.ts";
import type { Logger } from "../services/logger.ts";
import { createStripe, paymentsConfig, requirePaymentsConfig, Stripe, type PaymentsEnv } from "./stripe-client.ts";

// Starting a purchase: hold what is being sold, ask Stripe for a Checkout Session, and
// hand back the address of Stripe's page. The Remix pages and the API share this.

export type CheckoutRequest = { kind: "seat"; cohortSlug: string } | { kind: "subscription" };
export type StartedCheckout = { checkoutId: string; url: string };

type Deps = { env: PaymentsEnv; db: Database; log: Logger; origin: string };

const REFUSALS = {
  no_such_cohort: new ApiError("NOT_FOUND", "There is no such cohort."),
  closed: new ApiError("CONFLICT", "Enrolment for this cohort is closed."),
  full: new ApiError("SOLD_OUT", "This cohort is sold out: every seat is taken or held by someone paying for it."),
  already_enrolled: new ApiError("CONFLICT", "You already have a seat in this cohort."),
} as const;

const urls = (origin: string, checkoutId: string) => ({
  success_url: `${origin}/checkout/success?checkout=${checkoutId}`,
  cancel_url: `${origin}/checkout/cancel?checkout=${checkoutId}`,
});

/** Stripe's own refusals and network failures become one clear error; nothing was charged. */
function providerError(log: Logger, error: unknown): ApiError {
  log.error("stripe checkout session failed", { error });
  const detail = error instanceof Stripe.errors.StripeError ? ` (${error.message})` : "";
  return new ApiError("PAYMENT_PROVIDER_ERROR", `Stripe could not start the payment${detail}. Nothing was charged.`);
}

export async function startCheckout(
  deps: Deps,
  actor: CurrentUser,
  request: CheckoutRequest,
): Promise<StartedCheckout> {
  const config = requirePaymentsConfig(deps.env);
  const stripe = createStripe(deps.env, config);
  const customer = await customerIdFor(deps.db, actor);
  const buyer = customer ? { customer } : { customer_email: actor.email };
  const open = (checkoutId: string, expiresAt: Date, params: Stripe.Checkout.SessionCreateParams) =>
    openSession(deps, stripe, actor, checkoutId, {
      client_reference_id: checkoutId,
      ...buyer,
      allow_promotion_codes: true,
      expires_at: Math.floor(expiresAt.getTime() / 1000),
      ...urls(deps.origin, checkoutId),
      ...params,
    });

  if (request.kind === "seat") {
    const held = await holdSeat(deps.db, actor, request.cohortSlug);
    if (!held.ok) {
      if (held.reason === "checkout_open") return { checkoutId: held.checkoutId, url: held.url };
      throw REFUSALS[held.reason];
    }
    const metadata = { checkoutId: held.checkoutId, userId: actor.id, cohortId: String(held.cohort.id) };
    return open(held.checkoutId, held.expiresAt, {
      mode: "payment",
      ...(customer ? {} : { customer_creation: "always" as const }),
      line_items: [
        {
          quantity: 1,
          price_data: {
            currency: held.cohort.currency,
            unit_amount: held.cohort.priceCents,
            product_data: { name: `${held.cohort.courseTitle}: ${held.cohort.name}` },
          },
        },
      ],
      metadata,
      payment_intent_data: { metadata },
    });
  }

  const opened = await createSubscriptionCheckout(deps.db, actor);
  if (!opened.ok) {
    if (opened.reason === "checkout_open") return { checkoutId: opened.checkoutId, url: opened.url };
    throw new ApiError(
      "CONFLICT",
      "You already have a subscription: change or cancel it from the billing page instead of starting another.",
    );
  }
  const { checkoutId, expiresAt } = opened;
  const metadata = { checkoutId, userId: actor.id };
  return open(checkoutId, expiresAt, {
    mode: "subscription",
    line_items: [
      {
        quantity: 1,
        price_data: {
          currency: config.currency,
          unit_amount: config.monthlyPriceCents,
          recurring: { interval: "month" },
          product_data: { name: "Self-paced access: every module, monthly" },
        },
      },
    ],
    metadata,
    subscription_data: { metadata },
  });
}

/**
 * Asks Stripe for the session (one idempotency key per checkout) and remembers it; when
 * Stripe refuses or cannot be reached, the checkout and its held seat are undone.
 */
async function openSession(
  deps: Deps,
  stripe: Stripe,
  actor: CurrentUser,
  checkoutId: string,
  params: Stripe.Checkout.SessionCreateParams,
): Promise<StartedCheckout> {
  try {
    const session = await stripe.checkout.sessions.create(params, { idempotencyKey: `checkout-${checkoutId}` });
    await attachStripeSession(deps.db, actor, checkoutId, session);
    return { checkoutId, url: session.url ?? "" };
  } catch (error) {
    await abandonCheckout(deps.db, actor, checkoutId);
    throw providerError(deps.log, error);
  }
}

/** A link to Stripe's customer portal, where a student changes or cancels their subscription. */
export async function openBillingPortal(deps: Deps, actor: CurrentUser): Promise<string> {
  const config = requirePaymentsConfig(deps.env);
  const customer = await customerIdFor(deps.db, actor);
  if (!customer) throw new ApiError("NOT_FOUND", "You have no purchases with Stripe yet.");
  try {
    const session = await createStripe(deps.env, config).billingPortal.sessions.create({
      customer,
      return_url: `${deps.origin}/billing`,
    });
    return session.url;
  } catch (error) {
    deps.log.error("stripe billing portal failed", { error });
    throw new ApiError("PAYMENT_PROVIDER_ERROR", "Stripe's billing portal could not be opened. Try again in a minute.");
  }
}

/**
 * The student gave up on Stripe's page: the session is expired at Stripe first, and only
 * then is the seat released here, so a payment finished in another tab is never undone.
 */
export async function cancelCheckout(deps: Deps, actor: CurrentUser, checkoutId: string): Promise<boolean> {
  const config = paymentsConfig(deps.env);
  const checkout = await getCheckoutState(deps.db, actor, checkoutId);
  if (!config || !checkout || checkout.status !== "open" || !checkout.stripeSessionId) return false;
  try {
    await createStripe(deps.env, config).checkout.sessions.expire(checkout.stripeSessionId);
  } catch (error) {
    deps.log.warn("stripe session could not be expired", { error, checkoutId });
    return false;
  }
  const [release, sync] = expireCheckout(deps.db, checkoutId);
  await deps.db.batch([release, sync]);
  return true;
}
