import { and, desc, eq, inArray, isNotNull, sql } from "drizzle-orm";
import type { CurrentUser } from "../../worker/auth/context.ts";
import { batchable, type Database } from "../client.ts";
import { checkouts, cohorts, enrollments, stripeCustomers, subscriptions } from "../schema.ts";
import { refusalReason, seatStatement, type EnrollmentRefusal } from "./cohorts.ts";

// Starting a purchase: the row (and for a seat, the held seat) exists before Stripe is
// asked, so a seat is never sold twice and a failed call to Stripe can be undone.

/**
 * How long a seat is held, and when Stripe's Checkout Session expires (the two are the same
 * instant, so nobody can pay for a seat after its hold ended). Stripe refuses an `expires_at`
 * less than 30 minutes after it creates the session, which is a little after `now` here: the
 * margin keeps request latency and clock skew from turning every checkout into an error.
 */
export const CHECKOUT_HOLD_MS = 35 * 60 * 1000;

export type CohortForSale = {
  id: number;
  slug: string;
  name: string;
  courseTitle: string;
  priceCents: number;
  currency: string;
};

export type HeldSeat =
  | { ok: true; checkoutId: string; enrollmentId: string; cohort: CohortForSale; expiresAt: Date }
  | { ok: false; reason: EnrollmentRefusal }
  /** The student already has an open checkout for this cohort: send them back to it. */
  | { ok: false; reason: "checkout_open"; checkoutId: string; url: string };

/**
 * Holds a seat for the acting student while they pay: a `pending` enrolment (which counts
 * against capacity like any other) and the checkout row, in one batch. The checkout row
 * is only inserted when the seat statement took a seat, so a full cohort writes nothing.
 */
export async function holdSeat(
  db: Database,
  actor: CurrentUser,
  cohortSlug: string,
  now = new Date(),
): Promise<HeldSeat> {
  await expireLapsedCheckouts(db, now, actor.id);
  const checkoutId = crypto.randomUUID();
  const enrollmentId = crypto.randomUUID();
  const expiresAt = new Date(now.getTime() + CHECKOUT_HOLD_MS);
  const [taken, , cohortRows] = await db.batch([
    seatStatement(db, {
      enrollmentId,
      userId: { id: actor.id },
      cohortSlug,
      status: "pending",
      source: "payment",
      openAt: now,
    }),
    batchable(
      db,
      db.run(sql`insert into checkouts (id, user_id, kind, cohort_id, enrollment_id, status, expires_at)
        select ${checkoutId}, ${actor.id}, 'seat', enrollments.cohort_id, enrollments.id, 'open',
          ${Math.floor(expiresAt.getTime() / 1000)}
        from enrollments where enrollments.id = ${enrollmentId}`),
    ),
    db
      .select({
        id: cohorts.id,
        slug: cohorts.slug,
        name: cohorts.name,
        courseTitle: cohorts.courseTitle,
        priceCents: cohorts.priceCents,
        currency: cohorts.currency,
      })
      .from(cohorts)
      .where(eq(cohorts.slug, cohortSlug))
      .limit(1),
  ]);
  const cohort = cohortRows[0];
  if (taken.meta.changes > 0 && cohort) return { ok: true, checkoutId, enrollmentId, cohort, expiresAt };
  const open = await openCheckoutFor(db, actor, cohortSlug, now);
  if (open?.url) return { ok: false, reason: "checkout_open", checkoutId: open.id, url: open.url };
  return { ok: false, reason: await refusalReason(db, { id: actor.id }, cohortSlug, now) };
}

/** The acting student's unexpired checkout for a cohort, if they already started one. */
async function openCheckoutFor(db: Database, actor: CurrentUser, cohortSlug: string, now: Date) {
  const [row] = await db
    .select({ id: checkouts.id, url: checkouts.url })
    .from(checkouts)
    .innerJoin(cohorts, eq(cohorts.id, checkouts.cohortId))
    .where(
      and(
        eq(checkouts.userId, actor.id),
        eq(cohorts.slug, cohortSlug),
        eq(checkouts.status, "open"),
        sql`${checkouts.expiresAt} > ${Math.floor(now.getTime() / 1000)}`,
      ),
    )
    .orderBy(desc(checkouts.createdAt))
    .limit(1);
  return row ?? null;
}

/** Stripe statuses of a subscription that still exists and bills (or will, once paid up). */
const LIVE_SUBSCRIPTION_STATUSES = ["active", "trialing", "past_due", "unpaid", "paused"];

export type SubscriptionCheckout =
  | { ok: true; checkoutId: string; expiresAt: Date }
  /** A second subscription would bill the student twice: they manage the one they have. */
  | { ok: false; reason: "subscribed" }
  /** The student already started paying for one: send them back to it. */
  | { ok: false; reason: "checkout_open"; checkoutId: string; url: string };

/**
 * Starts a subscription checkout for the acting student. No seat: access comes from the
 * subscription. A student who already subscribes, or is already on Stripe's page for it,
 * gets no second one.
 */
export async function createSubscriptionCheckout(
  db: Database,
  actor: CurrentUser,
  now = new Date(),
): Promise<SubscriptionCheckout> {
  await expireLapsedCheckouts(db, now, actor.id);
  const [live, open] = await db.batch([
    db
      .select({ id: subscriptions.id })
      .from(subscriptions)
      .where(and(eq(subscriptions.userId, actor.id), inArray(subscriptions.status, LIVE_SUBSCRIPTION_STATUSES)))
      .limit(1),
    db
      .select({ id: checkouts.id, url: checkouts.url })
      .from(checkouts)
      .where(
        and(
          eq(checkouts.userId, actor.id),
          eq(checkouts.kind, "subscription"),
          eq(checkouts.status, "open"),
          isNotNull(checkouts.url),
          sql`${checkouts.expiresAt} > ${Math.floor(now.getTime() / 1000)}`,
        ),
      )
      .orderBy(desc(checkouts.createdAt))
      .limit(1),
  ]);
  if (live.length > 0) return { ok: false, reason: "subscribed" };
  if (open[0]?.url) return { ok: false, reason: "checkout_open", checkoutId: open[0].id, url: open[0].url };
  const checkoutId = crypto.randomUUID();
  const expiresAt = new Date(now.getTime() + CHECKOUT_HOLD_MS);
  await db.insert(checkouts).values({ id: checkoutId, userId: actor.id, kind: "subscription", expiresAt });
  return { ok: true, checkoutId, expiresAt };
}

/** Stripe created the session: remember its id and hosted page, for webhooks and for a student coming back. */
export async function attachStripeSession(
  db: Database,
  actor: CurrentUser,
  checkoutId: string,
  session: { id: string; url: string | null },
) {
  await db
    .update(checkouts)
    .set({ stripeSessionId: session.id, url: session.url, updatedAt: sql`(unixepoch())` })
    .where(and(eq(checkouts.id, checkoutId), eq(checkouts.userId, actor.id)));
}

/**
 * Stripe refused or could not be reached: the checkout never existed for anyone, so its row
 * and its held seat go, in one batch.
 */
export async function abandonCheckout(db: Database, actor: CurrentUser, checkoutId: string) {
  await db.batch([
    db
      .delete(enrollments)
      .where(
        and(
          eq(enrollments.userId, actor.id),
          eq(enrollments.status, "pending"),
          sql`${enrollments.id} = (select enrollment_id from checkouts where id = ${checkoutId})`,
        ),
      ),
    db.delete(checkouts).where(and(eq(checkouts.id, checkoutId), eq(checkouts.userId, actor.id))),
  ]);
}

/**
 * Ends holds whose session lapsed without Stripe's `checkout.session.expired` reaching us
 * (the cron calls this for everyone; a new checkout for the student's own). A checkout
 * whose payment is on its way (`payment_status` unpaid after completion) is not open, so
 * it keeps its seat.
 */
export async function expireLapsedCheckouts(db: Database, now = new Date(), userId?: string) {
  const cutoff = Math.floor(now.getTime() / 1000);
  const mine = userId ? sql`and user_id = ${userId}` : sql``;
  await db.batch([
    batchable(
      db,
      db.run(sql`update enrollments set status = 'expired', updated_at = unixepoch()
        where status = 'pending' and id in (select enrollment_id from checkouts
          where kind = 'seat' and status = 'open' and expires_at <= ${cutoff} ${mine})`),
    ),
    batchable(
      db,
      db.run(sql`update checkouts set status = 'expired', updated_at = unixepoch()
        where status = 'open' and expires_at <= ${cutoff} ${mine}`),
    ),
  ]);
}

/** The Stripe customer already on file for the acting student, if any. */
export async function customerIdFor(db: Database, actor: CurrentUser) {
  const [row] = await db
    .select({ customerId: stripeCustomers.customerId })
    .from(stripeCustomers)
    .where(eq(stripeCustomers.userId, actor.id));
  return row?.customerId ?? null;
}

export type CheckoutState = {
  id: string;
  kind: "seat" | "subscription";
  status: "open" | "complete" | "expired" | "failed";
  paymentStatus: string | null;
  cohortName: string | null;
  cohortSlug: string | null;
  /** The status of the enrolment the checkout pays for, once there is one. */
  access: string | null;
  stripeSessionId: string | null;
};

/** One of the acting student's checkouts, as the success and cancel pages show it; null for anyone else's. */
export async function getCheckoutState(db: Database, actor: CurrentUser, checkoutId: string) {
  const [row] = await db
    .select({
      id: checkouts.id,
      kind: checkouts.kind,
      status: checkouts.status,
      paymentStatus: checkouts.paymentStatus,
      cohortName: cohorts.name,
      cohortSlug: cohorts.slug,
      access: enrollments.status,
      stripeSessionId: checkouts.stripeSessionId,
    })
    .from(checkouts)
    .leftJoin(cohorts, eq(cohorts.id, checkouts.cohortId))
    .leftJoin(enrollments, eq(enrollments.id, checkouts.enrollmentId))
    .where(and(eq(checkouts.id, checkoutId), eq(checkouts.userId, actor.id)))
    .limit(1);
  return (row ?? null) as CheckoutState | null;
}
