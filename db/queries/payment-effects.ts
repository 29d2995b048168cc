import { sql, type SQL } from "drizzle-orm";
import { batchable, type Database } from "../client.ts";

// What each Stripe webhook does to D1, as statements for one batch with the event's id.
// Every statement states the end result, not a step: applying events twice or out of
// order leaves the same rows, and access is always re-derived from what Stripe said.

/** A subscription that failed to renew keeps access this long before it is suspended. */
export const GRACE_PERIOD_SECONDS = 7 * 24 * 60 * 60;

const run = (db: Database, query: SQL) => batchable(db, db.run(query));
const epoch = (date: Date | null) => (date ? Math.floor(date.getTime() / 1000) : null);

/** Written first in the batch: the second delivery of an event fails here and changes nothing. */
export function recordEvent(db: Database, event: { id: string; type: string; created: number }) {
  return run(
    db,
    sql`insert into stripe_events (id, type, stripe_created_at) values (${event.id}, ${event.type}, ${event.created})`,
  );
}

/** A seat's enrolment follows its checkout and payment: paid and not refunded or disputed is active. */
function syncSeatEnrollment(db: Database, checkoutIds: SQL) {
  return run(
    db,
    sql`update enrollments set updated_at = unixepoch(), status = (
      select case
        when c.status = 'failed' then 'cancelled'
        when coalesce(c.payment_status, 'unpaid') <> 'paid' and c.status = 'expired' then 'expired'
        when coalesce(c.payment_status, 'unpaid') <> 'paid' then 'pending'
        when p.refunded = 1 then 'refunded'
        when p.dispute_status in ('open', 'lost') then 'suspended'
        else 'active' end
      from checkouts as c left join payments as p on p.id = c.payment_intent_id
      where c.enrollment_id = enrollments.id)
    where id in (select enrollment_id from checkouts where kind = 'seat' and id in (${checkoutIds}))`,
  );
}

/**
 * A subscription's enrolment follows Stripe's status, with a grace period after a failed
 * renewal. Once the subscription's owner is known, so is the owner of its customer and of
 * invoices that arrived before anything told us whose they were (the first invoice's events
 * often beat the checkout's).
 *
 * The grace period is derived from what is stored, never from the event at hand: while the
 * subscription is not active it runs from the issue of its oldest invoice still unpaid (only
 * a failed payment leaves one unpaid here). A failure delivered before anything else about
 * the subscription, or a retry's failure delivered before the first one, then sets the same
 * deadline as the events in Stripe's order would.
 */
function syncSubscriptionEnrollment(db: Database, subscriptionId: string, now: Date) {
  const at = epoch(now);
  const graceEndsAt = sql`case when subscriptions.status in ('active', 'trialing') then null else (
      select min(issued_at) + ${GRACE_PERIOD_SECONDS} from invoices
      where subscription_id = subscriptions.id and status not in ('paid', 'void', 'uncollectible')) end`;
  return [
    run(
      db,
      sql`update subscriptions set grace_ends_at = ${graceEndsAt}, updated_at = unixepoch()
      where id = ${subscriptionId} and grace_ends_at is not ${graceEndsAt}`,
    ),
    run(
      db,
      sql`insert into stripe_customers (user_id, customer_id)
      select user_id, customer_id from subscriptions where id = ${subscriptionId} and customer_id is not null
      on conflict do nothing`,
    ),
    run(
      db,
      sql`update invoices set user_id = (select user_id from subscriptions where id = ${subscriptionId}),
        updated_at = unixepoch()
      where subscription_id = ${subscriptionId} and user_id is null
        and exists (select 1 from subscriptions where id = ${subscriptionId})`,
    ),
    run(
      db,
      sql`insert into enrollments (id, user_id, status, source, cohort_id)
      select 'sub_' || s.id, s.user_id, case
        when s.status in ('active', 'trialing') then 'active'
        when s.status = 'past_due' and (s.grace_ends_at is null or s.grace_ends_at > ${at}) then 'active'
        when s.status in ('past_due', 'unpaid', 'paused') then 'suspended'
        when s.status = 'incomplete' then 'pending'
        else 'cancelled' end, 'subscription', null
      from subscriptions as s where s.id = ${subscriptionId}
      on conflict(id) do update set status = excluded.status, updated_at = unixepoch()`,
    ),
    run(
      db,
      sql`update checkouts set enrollment_id = 'sub_' || subscription_id, updated_at = unixepoch()
      where subscription_id = ${subscriptionId} and enrollment_id is null
        and exists (select 1 from subscriptions where id = ${subscriptionId})`,
    ),
  ];
}

export type SessionFacts = {
  checkoutId: string;
  stripeSessionId: string;
  mode: "payment" | "subscription";
  /** Stripe's "no_payment_required" (a 100% coupon) counts as paid. */
  paymentStatus: "paid" | "unpaid";
  /** Set by async_payment_failed: the money never came. */
  failed: boolean;
  paymentIntentId: string | null;
  subscriptionId: string | null;
  customerId: string | null;
  amountTotal: number | null;
  currency: string | null;
};

/**
 * checkout.session.completed and its async_payment_* follow-ups. Paid is sticky (a late
 * "unpaid" completion cannot undo an async success), and failed is final.
 */
export function settleCheckout(db: Database, facts: SessionFacts, now: Date) {
  const paid = facts.paymentStatus === "paid";
  const checkout = sql`select id from checkouts where id = ${facts.checkoutId}`;
  const statements = [
    run(
      db,
      sql`update checkouts set updated_at = unixepoch(),
        status = case when status = 'failed' or ${facts.failed ? 1 : 0} = 1 then 'failed' else 'complete' end,
        payment_status = case when payment_status = 'paid' then 'paid' else ${paid ? "paid" : "unpaid"} end,
        stripe_session_id = coalesce(stripe_session_id, ${facts.stripeSessionId}),
        payment_intent_id = coalesce(${facts.paymentIntentId}, payment_intent_id),
        subscription_id = coalesce(${facts.subscriptionId}, subscription_id),
        amount_total = coalesce(${facts.amountTotal}, amount_total),
        currency = coalesce(${facts.currency}, currency)
      where id = ${facts.checkoutId}`,
    ),
  ];
  if (facts.customerId) {
    statements.push(
      run(
        db,
        sql`insert into stripe_customers (user_id, customer_id)
        select user_id, ${facts.customerId} from checkouts where id = ${facts.checkoutId}
        on conflict do nothing`,
      ),
    );
  }
  if (facts.mode === "payment" && facts.paymentIntentId && paid && !facts.failed) {
    statements.push(
      run(
        db,
        sql`insert into payments (id, user_id, checkout_id, cohort_id, enrollment_id, amount, currency, paid_at)
        select ${facts.paymentIntentId}, c.user_id, c.id, c.cohort_id, c.enrollment_id,
          ${facts.amountTotal ?? 0}, ${facts.currency ?? "usd"}, ${epoch(now)}
        from checkouts as c where c.id = ${facts.checkoutId}
        on conflict(id) do update set user_id = excluded.user_id, checkout_id = excluded.checkout_id,
          cohort_id = excluded.cohort_id, enrollment_id = excluded.enrollment_id, amount = excluded.amount,
          currency = excluded.currency, paid_at = coalesce(payments.paid_at, excluded.paid_at),
          updated_at = unixepoch()`,
      ),
    );
  }
  statements.push(syncSeatEnrollment(db, checkout));
  if (facts.mode === "subscription" && facts.subscriptionId) {
    // Created as active only if no subscription event got here first (those carry the real status).
    statements.push(
      run(
        db,
        sql`insert into subscriptions (id, user_id, customer_id, status, stripe_updated_at)
        select ${facts.subscriptionId}, user_id, ${facts.customerId}, ${paid && !facts.failed ? "active" : "incomplete"}, 0
        from checkouts where id = ${facts.checkoutId}
        on conflict(id) do update set customer_id = coalesce(subscriptions.customer_id, excluded.customer_id),
          status = case when subscriptions.stripe_updated_at = 0 then excluded.status else subscriptions.status end`,
      ),
      ...syncSubscriptionEnrollment(db, facts.subscriptionId, now),
    );
  }
  return statements;
}

/** checkout.session.expired: the hold ends and the seat is free again, unless it was paid meanwhile. */
export function expireCheckout(db: Database, checkoutId: string) {
  return [
    run(
      db,
      sql`update checkouts set status = 'expired', updated_at = unixepoch() where id = ${checkoutId} and status = 'open'`,
    ),
    syncSeatEnrollment(db, sql`select ${checkoutId}`),
  ] as const;
}

export type ChargeFacts = {
  paymentIntentId: string;
  chargeId: string;
  amount: number;
  amountRefunded: number;
  refunded: boolean;
  currency: string;
  receiptUrl: string | null;
};

const checkoutsOfPayment = (paymentIntentId: string) =>
  sql`select id from checkouts where payment_intent_id = ${paymentIntentId}
      union select checkout_id from payments where id = ${paymentIntentId} and checkout_id is not null`;

/**
 * charge.succeeded / charge.refunded: the payment row learns its charge, receipt and
 * refunds (a refund may arrive before the checkout completes; the row waits for it). A
 * full refund ends the seat's access and, unless the student keeps access another way,
 * revokes their certificate.
 */
export function recordCharge(db: Database, facts: ChargeFacts) {
  return [
    run(
      db,
      sql`insert into payments (id, charge_id, amount, amount_refunded, refunded, currency, receipt_url)
      values (${facts.paymentIntentId}, ${facts.chargeId}, ${facts.amount}, ${facts.amountRefunded},
        ${facts.refunded ? 1 : 0}, ${facts.currency}, ${facts.receiptUrl})
      on conflict(id) do update set charge_id = excluded.charge_id,
        amount_refunded = max(payments.amount_refunded, excluded.amount_refunded),
        refunded = max(payments.refunded, excluded.refunded),
        receipt_url = coalesce(excluded.receipt_url, payments.receipt_url), updated_at = unixepoch()`,
    ),
    syncSeatEnrollment(db, checkoutsOfPayment(facts.paymentIntentId)),
    // After the seat's status is settled: a student who still has access another way (a
    // subscription, another seat) keeps the certificate (there is one per student).
    run(
      db,
      sql`update certificates set revoked_at = unixepoch(), revoked_reason = 'The payment for this course was refunded.'
      where revoked_at is null and user_id = (select user_id from payments where id = ${facts.paymentIntentId} and refunded = 1)
        and not exists (select 1 from enrollments where enrollments.user_id = certificates.user_id and enrollments.status = 'active')`,
    ),
  ];
}

/** charge.dispute.created / closed: a running or lost dispute suspends the seat; a won one restores it. */
export function recordDispute(
  db: Database,
  paymentIntentId: string,
  chargeId: string,
  outcome: "open" | "won" | "lost",
) {
  return [
    run(
      db,
      sql`insert into payments (id, charge_id, dispute_status) values (${paymentIntentId}, ${chargeId}, ${outcome})
      on conflict(id) do update set charge_id = coalesce(payments.charge_id, excluded.charge_id), updated_at = unixepoch(),
        dispute_status = case when excluded.dispute_status = 'open' and payments.dispute_status in ('won', 'lost')
          then payments.dispute_status else excluded.dispute_status end`,
    ),
    syncSeatEnrollment(db, checkoutsOfPayment(paymentIntentId)),
  ];
}

export type SubscriptionFacts = {
  id: string;
  /** From the subscription's metadata (set at checkout); else found through the customer. */
  userId: string | null;
  customerId: string | null;
  status: string;
  currentPeriodEnd: Date | null;
  cancelAtPeriodEnd: boolean;
};

/**
 * customer.subscription.*: the newest event wins; an older one delivered late changes nothing.
 * Stripe's own state machine settles what timestamps cannot (events of the same second arrive
 * in any order): a subscription never returns to `incomplete`, and `canceled` and
 * `incomplete_expired` are final.
 */
export function recordSubscription(db: Database, facts: SubscriptionFacts, eventCreated: number, now: Date) {
  return [
    run(
      db,
      sql`insert into subscriptions (id, user_id, customer_id, status, current_period_end, cancel_at_period_end, stripe_updated_at)
      select ${facts.id}, owner.user_id, ${facts.customerId}, ${facts.status}, ${epoch(facts.currentPeriodEnd)},
        ${facts.cancelAtPeriodEnd ? 1 : 0}, ${eventCreated}
      from (select coalesce(
        (select id from users where id = ${facts.userId}),
        (select user_id from stripe_customers where customer_id = ${facts.customerId})) as user_id) as owner
      where owner.user_id is not null
      on conflict(id) do update set status = excluded.status, customer_id = coalesce(excluded.customer_id, subscriptions.customer_id),
        current_period_end = excluded.current_period_end, cancel_at_period_end = excluded.cancel_at_period_end,
        stripe_updated_at = excluded.stripe_updated_at, updated_at = unixepoch()
      where excluded.stripe_updated_at >= subscriptions.stripe_updated_at
        and subscriptions.status not in ('canceled', 'incomplete_expired')
        and (excluded.status <> 'incomplete' or subscriptions.status = 'incomplete')`,
    ),
    ...syncSubscriptionEnrollment(db, facts.id, now),
  ];
}

export type InvoiceFacts = {
  id: string;
  subscriptionId: string | null;
  customerId: string | null;
  status: string;
  amountDue: number;
  amountPaid: number;
  currency: string;
  hostedInvoiceUrl: string | null;
  invoicePdf: string | null;
  issuedAt: Date;
  paidAt: Date | null;
};

/**
 * invoice.paid / invoice.payment_failed: the invoice is kept for the billing page. The grace
 * period runs while one of the subscription's invoices is failed and unpaid: a failure starts
 * it (unless that invoice's payment already got here), and a payment ends it only when no
 * failed invoice is left, so an older invoice's payment delivered late cannot end it.
 */
export function recordInvoice(db: Database, facts: InvoiceFacts, now: Date) {
  const statements = [
    run(
      db,
      sql`insert into invoices (id, user_id, subscription_id, status, amount_due, amount_paid, currency,
        hosted_invoice_url, invoice_pdf, issued_at, paid_at)
      values (${facts.id}, coalesce((select user_id from subscriptions where id = ${facts.subscriptionId}),
          (select user_id from stripe_customers where customer_id = ${facts.customerId})),
        ${facts.subscriptionId}, ${facts.status}, ${facts.amountDue}, ${facts.amountPaid}, ${facts.currency},
        ${facts.hostedInvoiceUrl}, ${facts.invoicePdf}, ${epoch(facts.issuedAt)}, ${epoch(facts.paidAt)})
      on conflict(id) do update set user_id = coalesce(invoices.user_id, excluded.user_id),
        status = case when invoices.status = 'paid' then 'paid' else excluded.status end,
        amount_paid = max(invoices.amount_paid, excluded.amount_paid),
        hosted_invoice_url = coalesce(excluded.hosted_invoice_url, invoices.hosted_invoice_url),
        invoice_pdf = coalesce(excluded.invoice_pdf, invoices.invoice_pdf),
        paid_at = coalesce(invoices.paid_at, excluded.paid_at), updated_at = unixepoch()`,
    ),
  ];
  if (!facts.subscriptionId) return statements;
  statements.push(...syncSubscriptionEnrollment(db, facts.subscriptionId, now));
  return statements;
}

/** The cron's half of the grace period: subscriptions still unpaid when it ends lose access. */
export async function suspendLapsedSubscriptions(db: Database, now = new Date()) {
  const result = await db.run(sql`update enrollments set status = 'suspended', updated_at = unixepoch()
    where source = 'subscription' and status = 'active' and id in (
      select 'sub_' || id from subscriptions
      where status in ('past_due', 'unpaid', 'paused') and grace_ends_at is not null and grace_ends_at <= ${epoch(now)})`);
  return { suspended: result.meta.changes };
}
