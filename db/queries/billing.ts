import { and, desc, eq, inArray, sql } from "drizzle-orm";
import type { CurrentUser } from "../../worker/auth/context.ts";
import type { Database } from "../client.ts";
import { checkouts, cohorts, enrollments, invoices, payments, stripeCustomers, subscriptions } from "../schema.ts";

// The billing page: the acting student's own purchases, subscription and invoices, in one round trip.

export async function getBilling(db: Database, actor: CurrentUser) {
  const [seats, subscriptionRows, invoiceRows, customer] = await db.batch([
    db
      .select({
        checkoutId: checkouts.id,
        status: checkouts.status,
        paymentStatus: checkouts.paymentStatus,
        cohortName: cohorts.name,
        cohortSlug: cohorts.slug,
        startsAt: cohorts.startsAt,
        amount: payments.amount,
        amountRefunded: payments.amountRefunded,
        currency: payments.currency,
        paidAt: payments.paidAt,
        receiptUrl: payments.receiptUrl,
        refunded: payments.refunded,
        disputeStatus: payments.disputeStatus,
        // Aliased: in a batch, columns of the same name from two tables would collide.
        access: sql<string | null>`${enrollments.status}`.as("seat_access"),
        createdAt: checkouts.createdAt,
        expiresAt: checkouts.expiresAt,
        url: checkouts.url,
      })
      .from(checkouts)
      .leftJoin(cohorts, eq(cohorts.id, checkouts.cohortId))
      .leftJoin(payments, eq(payments.id, checkouts.paymentIntentId))
      .leftJoin(enrollments, eq(enrollments.id, checkouts.enrollmentId))
      .where(
        and(
          eq(checkouts.userId, actor.id),
          eq(checkouts.kind, "seat"),
          inArray(checkouts.status, ["open", "complete", "failed"]),
        ),
      )
      .orderBy(desc(checkouts.createdAt))
      .limit(50),
    db
      .select({
        id: subscriptions.id,
        status: subscriptions.status,
        currentPeriodEnd: subscriptions.currentPeriodEnd,
        cancelAtPeriodEnd: subscriptions.cancelAtPeriodEnd,
        graceEndsAt: subscriptions.graceEndsAt,
        access: sql<string | null>`${enrollments.status}`.as("subscription_access"),
        createdAt: subscriptions.createdAt,
      })
      .from(subscriptions)
      .leftJoin(enrollments, eq(enrollments.id, sqlSubscriptionEnrollment()))
      .where(eq(subscriptions.userId, actor.id))
      .orderBy(desc(subscriptions.createdAt)),
    db
      .select({
        id: invoices.id,
        status: invoices.status,
        amountDue: invoices.amountDue,
        amountPaid: invoices.amountPaid,
        currency: invoices.currency,
        hostedInvoiceUrl: invoices.hostedInvoiceUrl,
        invoicePdf: invoices.invoicePdf,
        issuedAt: invoices.issuedAt,
      })
      .from(invoices)
      .where(eq(invoices.userId, actor.id))
      .orderBy(desc(invoices.issuedAt))
      .limit(24),
    db
      .select({ customerId: stripeCustomers.customerId })
      .from(stripeCustomers)
      .where(eq(stripeCustomers.userId, actor.id)),
  ]);
  return { seats, subscriptions: subscriptionRows, invoices: invoiceRows, hasCustomer: customer.length > 0 };
}

/** A subscription's enrolment id, as payment-effects.ts writes it. */
function sqlSubscriptionEnrollment() {
  return sql`'sub_' || ${subscriptions.id}`;
}

/** The acting student's active and pending enrolments (a builder for db.batch); none for visitors. */
export function currentEnrollmentsQuery(db: Database, actor: CurrentUser | null) {
  return db
    .select({ cohortId: enrollments.cohortId, status: enrollments.status, source: enrollments.source })
    .from(enrollments)
    .where(and(eq(enrollments.userId, actor?.id ?? ""), inArray(enrollments.status, ["active", "pending"])));
}
