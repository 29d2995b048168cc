import type Stripe from "stripe";
import type { Database } from "../../db/client.ts";
import {
  expireCheckout,
  recordCharge,
  recordDispute,
  recordEvent,
  recordInvoice,
  recordSubscription,
  settleCheckout,
  type SessionFacts,
} from "../../db/queries/payment-effects.ts";
import { isUniqueViolation } from "../../db/queries/audit-target.ts";
import type { Logger } from "../services/logger.ts";

// From a verified Stripe event to one D1 batch: the event id first, then its effects.

export type WebhookOutcome = "applied" | "duplicate" | "ignored";

const idOf = (value: string | { id: string } | null | undefined) =>
  value == null ? null : typeof value === "string" ? value : value.id;

const date = (seconds: number | null | undefined) => (seconds ? new Date(seconds * 1000) : null);

function sessionFacts(session: Stripe.Checkout.Session, failed: boolean): SessionFacts | null {
  const checkoutId = session.client_reference_id ?? session.metadata?.checkoutId ?? null;
  const mode = session.mode === "payment" ? "payment" : session.mode === "subscription" ? "subscription" : null;
  if (!checkoutId || !mode) return null;
  return {
    checkoutId,
    stripeSessionId: session.id,
    mode,
    paymentStatus:
      session.payment_status === "paid" || session.payment_status === "no_payment_required" ? "paid" : "unpaid",
    failed,
    paymentIntentId: idOf(session.payment_intent),
    subscriptionId: idOf(session.subscription),
    customerId: idOf(session.customer),
    amountTotal: session.amount_total,
    currency: session.currency,
  };
}

function subscriptionFacts(subscription: Stripe.Subscription) {
  const periodEnds = subscription.items?.data?.map((item) => item.current_period_end).filter(Boolean) ?? [];
  return {
    id: subscription.id,
    userId: subscription.metadata?.userId ?? null,
    customerId: idOf(subscription.customer),
    status: subscription.status,
    currentPeriodEnd: periodEnds.length ? date(Math.max(...periodEnds)) : null,
    cancelAtPeriodEnd: subscription.cancel_at_period_end,
  };
}

function invoiceFacts(invoice: Stripe.Invoice) {
  return {
    id: invoice.id,
    subscriptionId: idOf(invoice.parent?.subscription_details?.subscription),
    customerId: idOf(invoice.customer),
    status: invoice.status ?? "open",
    amountDue: invoice.amount_due,
    amountPaid: invoice.amount_paid,
    currency: invoice.currency,
    hostedInvoiceUrl: invoice.hosted_invoice_url ?? null,
    invoicePdf: invoice.invoice_pdf ?? null,
    issuedAt: date(invoice.created) ?? new Date(),
    paidAt: date(invoice.status_transitions?.paid_at),
  };
}

/** The statements an event calls for; null when the event is not about anything of ours. */
function effectsOf(db: Database, event: Stripe.Event, now: Date) {
  switch (event.type) {
    case "checkout.session.completed":
    case "checkout.session.async_payment_succeeded":
    case "checkout.session.async_payment_failed": {
      const facts = sessionFacts(event.data.object, event.type === "checkout.session.async_payment_failed");
      return facts ? settleCheckout(db, facts, now) : null;
    }
    case "checkout.session.expired": {
      const facts = sessionFacts(event.data.object, false);
      return facts ? expireCheckout(db, facts.checkoutId) : null;
    }
    case "customer.subscription.created":
    case "customer.subscription.updated":
    case "customer.subscription.deleted": {
      const facts = subscriptionFacts(event.data.object);
      if (event.type === "customer.subscription.deleted") facts.status = "canceled";
      return recordSubscription(db, facts, event.created, now);
    }
    case "invoice.paid":
    case "invoice.payment_failed":
      return recordInvoice(db, invoiceFacts(event.data.object), now);
    case "charge.succeeded":
    case "charge.refunded": {
      const charge = event.data.object;
      const paymentIntentId = idOf(charge.payment_intent);
      if (!paymentIntentId) return null;
      return recordCharge(db, {
        paymentIntentId,
        chargeId: charge.id,
        amount: charge.amount,
        amountRefunded: charge.amount_refunded,
        refunded: charge.refunded,
        currency: charge.currency,
        receiptUrl: charge.receipt_url,
      });
    }
    case "charge.dispute.created":
    case "charge.dispute.closed": {
      const dispute = event.data.object;
      const paymentIntentId = idOf(dispute.payment_intent);
      const chargeId = idOf(dispute.charge);
      if (!paymentIntentId || !chargeId) return null;
      // Only "lost" takes the money back: "won" and "warning_closed" (an inquiry that never
      // became a chargeback) leave it with us.
      const outcome = event.type === "charge.dispute.created" ? "open" : dispute.status === "lost" ? "lost" : "won";
      return recordDispute(db, paymentIntentId, chargeId, outcome);
    }
    default:
      return null;
  }
}

/**
 * Applies a verified event exactly once. The event id is inserted in the same batch as the
 * effects, so a redelivery (even one racing the first) fails on that insert, rolls back
 * with it, and is reported as a duplicate. Anything else that fails is a real fault:
 * it propagates, the endpoint answers 500, and Stripe retries later.
 */
export async function applyStripeEvent(db: Database, log: Logger, event: Stripe.Event, now = new Date()) {
  const effects = effectsOf(db, event, now);
  const record = recordEvent(db, event);
  try {
    await db.batch([record, ...(effects ?? [])]);
  } catch (error) {
    if (isUniqueViolation(error, "stripe_events.id")) return "duplicate" satisfies WebhookOutcome;
    throw error;
  }
  if (!effects) log.info("stripe event acknowledged without effect", { eventId: event.id, type: event.type });
  return (effects ? "applied" : "ignored") satisfies WebhookOutcome;
}
