import { and, count, desc, eq, isNotNull, sql, type SQL } from "drizzle-orm";
import type { CurrentUser } from "../../worker/auth/context.ts";
import type { Database } from "../client.ts";
import { cohorts, coupons, payments, subscriptions, users } from "../schema.ts";
import { assertAdmin } from "./admin-guard.ts";
import { auditStatement } from "./audit.ts";
import { isUniqueViolation } from "./audit-target.ts";

// The admin's payments and coupons pages. Stripe is the source of truth: these functions read
// what its webhooks recorded, and write only what an admin asked Stripe to do (a refund
// request, a new coupon), each with its audit entry in the same batch.

/** How many rows of each list a page shows; older ones are found by searching an email. */
export const PAYMENTS_PAGE_LIMIT = 100;

/** Escapes LIKE's wildcards so a search for "a_b" or "50%" means those characters. */
function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
}

const emailMatches = (q: string | undefined): SQL | undefined =>
  q ? sql`${users.email} like ${containsPattern(q.trim().toLowerCase())} escape '\\'` : undefined;

// D1 hands a join's same-named columns back as one (users.name and cohorts.name would collide),
// so every column of a joined table gets its own alias.
const studentColumns = {
  studentName: sql<string | null>`${users.name}`.as("student_name"),
  studentEmail: sql<string | null>`${users.email}`.as("student_email"),
};

function paymentsQuery(db: Database, q: string | undefined) {
  return (
    db
      .select({
        id: payments.id,
        userId: payments.userId,
        ...studentColumns,
        cohortName: sql<string | null>`${cohorts.name}`.as("cohort_name"),
        cohortSlug: sql<string | null>`${cohorts.slug}`.as("cohort_slug"),
        amount: payments.amount,
        amountRefunded: payments.amountRefunded,
        currency: payments.currency,
        receiptUrl: payments.receiptUrl,
        refunded: payments.refunded,
        disputeStatus: payments.disputeStatus,
        refundRequestedAt: payments.refundRequestedAt,
        paidAt: payments.paidAt,
        createdAt: payments.createdAt,
      })
      .from(payments)
      .leftJoin(users, eq(users.id, payments.userId))
      .leftJoin(cohorts, eq(cohorts.id, payments.cohortId))
      // Charges of subscription invoices also leave rows keyed by their PaymentIntent: only seat
      // payments a completed checkout of ours marked paid are listed; invoices are below.
      .where(and(isNotNull(payments.paidAt), emailMatches(q)))
      .orderBy(desc(sql`coalesce(${payments.paidAt}, ${payments.createdAt})`), desc(payments.id))
      .limit(PAYMENTS_PAGE_LIMIT + 1)
  );
}

function subscriptionsQuery(db: Database, q: string | undefined) {
  return db
    .select({
      id: subscriptions.id,
      userId: subscriptions.userId,
      ...studentColumns,
      status: subscriptions.status,
      currentPeriodEnd: subscriptions.currentPeriodEnd,
      cancelAtPeriodEnd: subscriptions.cancelAtPeriodEnd,
      graceEndsAt: subscriptions.graceEndsAt,
      createdAt: subscriptions.createdAt,
      invoicesPaid: sql<number>`(select count(*) from invoices
        where invoices.subscription_id = ${subscriptions.id} and invoices.paid_at is not null)`
        .mapWith(Number)
        .as("invoices_paid"),
      amountPaid: sql<number>`(select coalesce(sum(invoices.amount_paid), 0) from invoices
        where invoices.subscription_id = ${subscriptions.id} and invoices.paid_at is not null)`
        .mapWith(Number)
        .as("amount_paid"),
      currency: sql<string | null>`(select invoices.currency from invoices
        where invoices.subscription_id = ${subscriptions.id} order by invoices.issued_at desc limit 1)`.as("currency"),
    })
    .from(subscriptions)
    .innerJoin(users, eq(users.id, subscriptions.userId))
    .where(emailMatches(q))
    .orderBy(desc(subscriptions.createdAt), desc(subscriptions.id))
    .limit(PAYMENTS_PAGE_LIMIT + 1);
}

export type AdminPaymentRow = Awaited<ReturnType<typeof paymentsQuery>>[number];
export type AdminSubscriptionRow = Awaited<ReturnType<typeof subscriptionsQuery>>[number];

/** What the payments page says a seat payment's state is, strongest fact first. */
export type PaymentStatus =
  "disputed" | "dispute_lost" | "refunded" | "dispute_won" | "refund_requested" | "paid" | "processing";

type StatusFacts = Pick<AdminPaymentRow, "disputeStatus" | "refunded" | "refundRequestedAt" | "paidAt">;

export function paymentStatus(row: StatusFacts): PaymentStatus {
  if (row.disputeStatus === "open") return "disputed";
  if (row.disputeStatus === "lost") return "dispute_lost";
  if (row.refunded) return "refunded";
  if (row.disputeStatus === "won") return "dispute_won";
  if (row.refundRequestedAt) return "refund_requested";
  return row.paidAt ? "paid" : "processing";
}

/**
 * A payment an admin may refund: paid, not fully refunded, no refund asked for yet, and no
 * dispute running or lost (Stripe refuses refunds of disputed charges).
 */
export function isRefundable(row: StatusFacts): boolean {
  const status = paymentStatus(row);
  return status === "paid" || status === "dispute_won";
}

/**
 * The payments page in one round trip: the newest seat payments with their student and
 * cohort, and the subscriptions with what their invoices brought in, optionally only those
 * of emails containing `q`.
 */
export async function getPaymentsPage(db: Database, admin: CurrentUser, filter: { q?: string } = {}) {
  assertAdmin(admin);
  const q = filter.q?.trim() || undefined;
  const [paymentRows, subscriptionRows, totals] = await db.batch([
    paymentsQuery(db, q),
    subscriptionsQuery(db, q),
    db
      .select({
        payments: sql<number>`(select count(*) from payments)`.mapWith(Number).as("payments_total"),
        subscriptions: sql<number>`(select count(*) from subscriptions)`.mapWith(Number).as("subscriptions_total"),
      })
      .from(sql`(select 1)`),
  ]);
  return {
    payments: paymentRows.slice(0, PAYMENTS_PAGE_LIMIT),
    morePayments: paymentRows.length > PAYMENTS_PAGE_LIMIT,
    subscriptions: subscriptionRows.slice(0, PAYMENTS_PAGE_LIMIT),
    moreSubscriptions: subscriptionRows.length > PAYMENTS_PAGE_LIMIT,
    /** Everything recorded, whatever the search: tells "nothing yet" from "nothing matches". */
    recorded: { payments: totals[0]?.payments ?? 0, subscriptions: totals[0]?.subscriptions ?? 0 },
  };
}

/** One seat payment as the refund action needs it, or null when there is no such payment. */
export async function getPaymentForRefund(db: Database, admin: CurrentUser, paymentId: string) {
  assertAdmin(admin);
  const [row] = await db
    .select({
      id: payments.id,
      studentEmail: sql<string | null>`${users.email}`.as("student_email"),
      cohortName: sql<string | null>`${cohorts.name}`.as("cohort_name"),
      amount: payments.amount,
      amountRefunded: payments.amountRefunded,
      currency: payments.currency,
      refunded: payments.refunded,
      disputeStatus: payments.disputeStatus,
      refundRequestedAt: payments.refundRequestedAt,
      paidAt: payments.paidAt,
    })
    .from(payments)
    .leftJoin(users, eq(users.id, payments.userId))
    .leftJoin(cohorts, eq(cohorts.id, payments.cohortId))
    .where(eq(payments.id, paymentId))
    .limit(1);
  return row ?? null;
}

export type PaymentForRefund = NonNullable<Awaited<ReturnType<typeof getPaymentForRefund>>>;

/**
 * Records that Stripe accepted a refund request for the payment, with its audit entry, in
 * one batch. Access is not touched: it ends when Stripe's charge.refunded webhook arrives
 * (db/queries/payment-effects.ts). A repeated request keeps the first time.
 */
export async function recordRefundRequest(
  db: Database,
  admin: CurrentUser,
  payment: PaymentForRefund,
  refundId: string,
  amountLabel: string,
  now = new Date(),
) {
  assertAdmin(admin);
  await db.batch([
    db
      .update(payments)
      .set({
        refundRequestedAt: sql`coalesce(${payments.refundRequestedAt}, ${Math.floor(now.getTime() / 1000)})`,
        updatedAt: sql`(unixepoch())`,
      })
      .where(eq(payments.id, payment.id)),
    auditStatement(db, admin, {
      action: "payment.refund",
      targetType: "payment",
      targetId: payment.id,
      summary:
        `Asked Stripe to refund ${amountLabel} of payment ${payment.id}` +
        `${payment.studentEmail ? ` by ${payment.studentEmail}` : ""}` +
        `${payment.cohortName ? ` for ${payment.cohortName}` : ""} (refund ${refundId})`,
    }),
  ]);
}

// ---- Coupons ------------------------------------------------------------------------

/** A coupon as the create form hands it over (validated); amounts in the smallest currency unit. */
export type CouponDraft = {
  code: string;
  discount: { kind: "percent"; percentOff: number } | { kind: "amount"; amountOffCents: number; currency: string };
  expiresAt: Date | null;
  maxRedemptions: number | null;
};

/** Every coupon, newest first, with who created it. */
export async function listCoupons(db: Database, admin: CurrentUser) {
  assertAdmin(admin);
  return db
    .select({
      id: coupons.id,
      promotionCodeId: coupons.promotionCodeId,
      code: coupons.code,
      percentOff: coupons.percentOff,
      amountOffCents: coupons.amountOffCents,
      currency: coupons.currency,
      expiresAt: coupons.expiresAt,
      maxRedemptions: coupons.maxRedemptions,
      createdAt: coupons.createdAt,
      createdByEmail: sql<string | null>`${users.email}`.as("created_by_email"),
    })
    .from(coupons)
    .leftJoin(users, eq(users.id, coupons.createdBy))
    .orderBy(desc(coupons.createdAt), desc(coupons.code))
    .limit(500);
}

export type AdminCouponRow = Awaited<ReturnType<typeof listCoupons>>[number];

/** True when a coupon already uses this code (checked before Stripe is asked to create one). */
export async function isCouponCodeTaken(db: Database, admin: CurrentUser, code: string) {
  assertAdmin(admin);
  const [row] = await db.select({ total: count() }).from(coupons).where(eq(coupons.code, code));
  return (row?.total ?? 0) > 0;
}

export type CouponWriteResult = { ok: true } | { ok: false; reason: "code_taken" };

/** Stores the coupon Stripe created, with its audit entry, in one batch. */
export async function recordCoupon(
  db: Database,
  admin: CurrentUser,
  draft: CouponDraft,
  stripe: { couponId: string; promotionCodeId: string },
  discountLabel: string,
): Promise<CouponWriteResult> {
  assertAdmin(admin);
  const { discount } = draft;
  const limits = [
    draft.expiresAt ? `until ${draft.expiresAt.toISOString().slice(0, 10)}` : null,
    draft.maxRedemptions ? `at most ${draft.maxRedemptions} uses` : null,
  ].filter(Boolean);
  try {
    await db.batch([
      db.insert(coupons).values({
        id: stripe.couponId,
        promotionCodeId: stripe.promotionCodeId,
        code: draft.code,
        percentOff: discount.kind === "percent" ? discount.percentOff : null,
        amountOffCents: discount.kind === "amount" ? discount.amountOffCents : null,
        currency: discount.kind === "amount" ? discount.currency : null,
        expiresAt: draft.expiresAt,
        maxRedemptions: draft.maxRedemptions,
        createdBy: admin.id,
      }),
      auditStatement(db, admin, {
        action: "coupon.create",
        targetType: "coupon",
        targetId: stripe.couponId,
        summary: `Created coupon ${draft.code}: ${discountLabel}${limits.length ? `, ${limits.join(", ")}` : ""}`,
      }),
    ]);
    return { ok: true };
  } catch (error) {
    if (isUniqueViolation(error, "coupons.code")) return { ok: false, reason: "code_taken" };
    throw error;
  }
}
