import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/cloudflare";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import * as z from "zod";
import {
  getPaymentForRefund,
  getPaymentsPage,
  isRefundable,
  paymentStatus,
  recordRefundRequest,
  type PaymentStatus,
} from "../../db/queries/admin-payments.ts";
import { requestStripeRefund } from "../../worker/payments/admin-stripe.ts";
import { paymentsConfig, type PaymentsEnv } from "../../worker/payments/stripe-client.ts";
import { ConfirmAction } from "~/components/admin-confirm";
import { Breadcrumbs } from "~/components/breadcrumbs";
import { DataTable } from "~/components/data-table";
import { EmptyState } from "~/components/empty-state";
import { ErrorPage } from "~/components/error-page";
import { INPUT_CLASS } from "~/components/field-parts";
import { Alert } from "~/components/form";
import { formatWhen } from "~/components/project-submission-card";
import { requireAdmin } from "~/lib/auth.server";
import { formatMoney } from "~/lib/format";
import { formError, parseForm, type FormState } from "~/lib/forms";
import { pageMeta } from "~/lib/site";

// Every seat payment and subscription Stripe has told us about, newest first, and the one
// thing an admin does with a payment here: ask Stripe to refund it. Access is not touched
// by the request; it ends when Stripe's charge.refunded webhook confirms the refund.

export const meta: MetaFunction = () => [...pageMeta("Payments · Admin"), { name: "robots", content: "noindex" }];

const iso = (date: Date | null) => (date ? date.toISOString() : null);

export async function loader({ request, context }: LoaderFunctionArgs) {
  const admin = await requireAdmin(context);
  const q = (new URL(request.url).searchParams.get("q") ?? "").trim().slice(0, 200);
  const page = await getPaymentsPage(context.services.db, admin, { q });
  return {
    configured: paymentsConfig(context.cloudflare.env) !== null,
    q,
    recorded: page.recorded,
    morePayments: page.morePayments,
    moreSubscriptions: page.moreSubscriptions,
    payments: page.payments.map((payment) => ({
      id: payment.id,
      userId: payment.userId,
      studentName: payment.studentName,
      studentEmail: payment.studentEmail,
      cohortName: payment.cohortName,
      cohortSlug: payment.cohortSlug,
      amount: formatMoney(payment.amount, payment.currency),
      refundedAmount: payment.amountRefunded > 0 ? formatMoney(payment.amountRefunded, payment.currency) : null,
      remaining: formatMoney(Math.max(0, payment.amount - payment.amountRefunded), payment.currency),
      paidAt: iso(payment.paidAt),
      status: paymentStatus(payment),
      refundable: isRefundable(payment),
      receiptUrl: safeLink(payment.receiptUrl),
    })),
    subscriptions: page.subscriptions.map((subscription) => ({
      id: subscription.id,
      userId: subscription.userId,
      studentName: subscription.studentName,
      studentEmail: subscription.studentEmail,
      status: subscription.status,
      cancelAtPeriodEnd: subscription.cancelAtPeriodEnd,
      currentPeriodEnd: iso(subscription.currentPeriodEnd),
      graceEndsAt: iso(subscription.graceEndsAt),
      startedAt: iso(subscription.createdAt),
      invoicesPaid: subscription.invoicesPaid,
      amountPaid: subscription.currency ? formatMoney(subscription.amountPaid, subscription.currency) : null,
    })),
  };
}

/** Stripe's receipt pages are https links; anything else is not shown as a link. */
function safeLink(url: string | null): string | null {
  return url && /^https:\/\//.test(url) ? url : null;
}

const refundForm = z.object({
  intent: z.literal("refund", { error: "Choose a payment to refund." }),
  payment: z
    .string({ error: "Choose a payment to refund." })
    .regex(/^[A-Za-z0-9_]{1,255}$/, "Choose a payment to refund."),
});

export async function action({ request, context }: ActionFunctionArgs) {
  const admin = await requireAdmin(context);
  const { db, log } = context.services;
  const formData = await request.formData();
  const parsed = parseForm(formData, refundForm);
  if (!parsed.ok) return formError(formData, "Choose a payment to refund: nothing was sent to Stripe.", []);

  const env = context.cloudflare.env as PaymentsEnv;
  if (!paymentsConfig(env)) {
    return formError(
      formData,
      "Payments are not configured on this server, so Stripe cannot be asked for a refund. Nothing was changed.",
      [],
      { status: 409 },
    );
  }
  const payment = await getPaymentForRefund(db, admin, parsed.data.payment);
  if (!payment)
    return formError(formData, "There is no such payment: nothing was sent to Stripe.", [], { status: 404 });
  if (!isRefundable(payment)) {
    return formError(formData, refusalMessage(paymentStatus(payment)), [], { status: 409 });
  }

  const refund = await requestStripeRefund(env, log, payment.id);
  if (!refund.ok) return formError(formData, refund.message, [], { status: 502 });

  const amount = formatMoney(Math.max(0, payment.amount - payment.amountRefunded), payment.currency);
  await recordRefundRequest(db, admin, payment, refund.value.refundId, amount);
  return redirect(`/admin/payments?${new URLSearchParams({ refund: payment.id })}`);
}

function refusalMessage(status: PaymentStatus): string {
  switch (status) {
    case "refund_requested":
      return "A refund of this payment was already requested: Stripe has not confirmed it yet. Nothing was changed.";
    case "refunded":
      return "This payment is already refunded. Nothing was changed.";
    case "disputed":
    case "dispute_lost":
      return "This payment is disputed: Stripe does not refund a disputed charge. Answer the dispute in the Stripe Dashboard.";
    default:
      return "This payment has not been paid yet, so there is nothing to refund.";
  }
}

const STATUS: Record<PaymentStatus, { label: string; className: string }> = {
  paid: { label: "Paid", className: "bg-emerald-100 text-emerald-900 dark:bg-emerald-950 dark:text-emerald-200" },
  refund_requested: {
    label: "Refund requested",
    className: "bg-amber-100 text-amber-900 dark:bg-amber-950 dark:text-amber-200",
  },
  refunded: { label: "Refunded", className: "bg-surface-2 text-ink" },
  disputed: { label: "Disputed", className: "bg-red-100 text-red-900 dark:bg-red-950 dark:text-red-200" },
  dispute_won: {
    label: "Dispute won",
    className: "bg-emerald-100 text-emerald-900 dark:bg-emerald-950 dark:text-emerald-200",
  },
  dispute_lost: { label: "Dispute lost", className: "bg-red-100 text-red-900 dark:bg-red-950 dark:text-red-200" },
  processing: { label: "Not paid yet", className: "bg-surface-2 text-muted" },
};

function Badge({ label, className }: { label: string; className: string }) {
  return (
    <span className={`inline-block rounded-full px-2.5 py-0.5 text-xs font-semibold whitespace-nowrap ${className}`}>
      {label}
    </span>
  );
}

/** Stripe's subscription statuses in words. */
const SUBSCRIPTION_STATUS: Record<string, string> = {
  active: "Active",
  trialing: "Trial",
  past_due: "Payment failed, retrying",
  unpaid: "Unpaid",
  paused: "Paused",
  incomplete: "Waiting for the first payment",
  incomplete_expired: "Never paid",
  canceled: "Cancelled",
};

const CELL = "px-4 py-3 align-top";

type LoaderData = ReturnType<typeof useLoaderData<typeof loader>>;
type PaymentView = LoaderData["payments"][number];
type SubscriptionView = LoaderData["subscriptions"][number];

function Student({ userId, name, email }: { userId: string | null; name: string | null; email: string | null }) {
  if (!userId || !email) return <span className="font-normal text-muted">Account deleted</span>;
  return (
    <>
      <Link to={`/admin/students/${userId}`} className="text-accent-strong underline">
        {name ?? email}
      </Link>
      <span className="block font-normal break-all text-muted">{email}</span>
    </>
  );
}

function Refund({ payment }: { payment: PaymentView }) {
  const who = payment.studentName ?? payment.studentEmail ?? "the buyer";
  return (
    <ConfirmAction
      summary="Refund…"
      intent="refund"
      fields={{ payment: payment.id }}
      confirm={`Refund ${payment.remaining}`}
      className="w-64"
    >
      <p>
        Asks Stripe to refund {payment.remaining} to {who}
        {payment.cohortName ? ` for ${payment.cohortName}` : ""}. Stripe returns the money to the card or account that
        paid.
      </p>
      <p>
        Access is not changed now: the seat ends when Stripe confirms the refund, and the payment then shows as
        Refunded.
      </p>
    </ConfirmAction>
  );
}

function PaymentsTable({ payments }: { payments: PaymentView[] }) {
  return (
    <DataTable
      caption="Seat payments, newest first"
      headings={["Student", "Cohort", "Amount", "Paid", "Status", "Receipt", "Actions"]}
    >
      {payments.map((payment) => {
        const status = STATUS[payment.status];
        return (
          <tr key={payment.id}>
            <th scope="row" className={`${CELL} min-w-52 font-medium`}>
              <Student userId={payment.userId} name={payment.studentName} email={payment.studentEmail} />
            </th>
            <td className={`${CELL} min-w-32`}>
              {payment.cohortSlug ? (
                <Link to={`/admin/cohorts/${payment.cohortSlug}`} className="text-accent-strong underline">
                  {payment.cohortName}
                </Link>
              ) : (
                <span className="text-muted">No cohort</span>
              )}
            </td>
            <td className={`${CELL} whitespace-nowrap tabular-nums`}>
              {payment.amount}
              {payment.refundedAmount ? (
                <span className="block text-xs text-muted">{payment.refundedAmount} refunded</span>
              ) : null}
            </td>
            <td className={`${CELL} whitespace-nowrap`}>
              {payment.paidAt ? (
                <time dateTime={payment.paidAt}>{formatWhen(payment.paidAt)}</time>
              ) : (
                <span className="text-muted">Not yet</span>
              )}
            </td>
            <td className={CELL}>
              <Badge {...status} />
              <span className="mt-1 block font-mono text-xs break-all text-muted">{payment.id}</span>
            </td>
            <td className={CELL}>
              {payment.receiptUrl ? (
                <a
                  href={payment.receiptUrl}
                  target="_blank"
                  rel="noreferrer noopener"
                  className="whitespace-nowrap text-accent-strong underline"
                >
                  Receipt<span className="sr-only"> for {payment.studentEmail ?? payment.id} (opens Stripe)</span>
                </a>
              ) : (
                <span className="text-muted">None</span>
              )}
            </td>
            <td className={CELL}>
              {payment.refundable ? (
                <Refund payment={payment} />
              ) : payment.status === "refund_requested" ? (
                <span className="text-muted">Refund requested, waiting for Stripe</span>
              ) : (
                <span className="text-muted">None</span>
              )}
            </td>
          </tr>
        );
      })}
    </DataTable>
  );
}

function SubscriptionsTable({ subscriptions }: { subscriptions: SubscriptionView[] }) {
  return (
    <DataTable
      caption="Self-paced subscriptions, newest first"
      headings={["Student", "Status", "Current period", "Paid so far", "Started"]}
    >
      {subscriptions.map((subscription) => (
        <tr key={subscription.id}>
          <th scope="row" className={`${CELL} min-w-52 font-medium`}>
            <Student userId={subscription.userId} name={subscription.studentName} email={subscription.studentEmail} />
          </th>
          <td className={`${CELL} min-w-44`}>
            {SUBSCRIPTION_STATUS[subscription.status] ?? subscription.status}
            {subscription.cancelAtPeriodEnd ? (
              <span className="block text-xs text-muted">Cancels at the end of the period</span>
            ) : null}
            {subscription.graceEndsAt && subscription.status === "past_due" ? (
              <span className="block text-xs text-muted">Access until {formatWhen(subscription.graceEndsAt)}</span>
            ) : null}
          </td>
          <td className={`${CELL} whitespace-nowrap`}>
            {subscription.currentPeriodEnd ? (
              <>
                Until <time dateTime={subscription.currentPeriodEnd}>{formatWhen(subscription.currentPeriodEnd)}</time>
              </>
            ) : (
              <span className="text-muted">Not known yet</span>
            )}
          </td>
          <td className={`${CELL} whitespace-nowrap tabular-nums`}>
            {subscription.amountPaid ?? <span className="text-muted">Nothing yet</span>}
            <span className="block text-xs text-muted">
              {subscription.invoicesPaid === 1 ? "1 invoice" : `${subscription.invoicesPaid} invoices`}
            </span>
          </td>
          <td className={`${CELL} whitespace-nowrap`}>
            {subscription.startedAt ? (
              <time dateTime={subscription.startedAt}>{formatWhen(subscription.startedAt)}</time>
            ) : null}
          </td>
        </tr>
      ))}
    </DataTable>
  );
}

/** Said when Stripe keys are missing (the coupons page says the same). */
function PaymentsNotConfigured() {
  return (
    <Alert tone="info">
      <p className="font-semibold">Payments are not configured on this server.</p>
      <p className="mt-1">
        Stripe keys (<code>STRIPE_SECRET_KEY</code> and <code>STRIPE_WEBHOOK_SECRET</code>) are not set, so nobody can
        pay and nothing can be refunded or discounted here; what was recorded earlier is still listed. The README
        section &ldquo;Payments with Stripe&rdquo; explains how to set them up. Meanwhile you can enrol students by hand
        on a{" "}
        <Link to="/admin/cohorts" className="text-accent-strong underline">
          cohort&rsquo;s page
        </Link>
        .
      </p>
    </Alert>
  );
}

export default function AdminPayments() {
  const { configured, q, recorded, payments, subscriptions, morePayments, moreSubscriptions } =
    useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as { state?: FormState } | undefined;
  const [search] = useSearchParams();
  const refunded = search.get("refund");

  return (
    <div className="mx-auto max-w-7xl px-4 py-10 sm:px-6">
      <Breadcrumbs items={[{ label: "Admin", to: "/admin" }, { label: "Payments" }]} />
      <h1 className="mt-4 text-3xl font-bold tracking-tight">Payments</h1>
      <p className="mt-2 text-muted">
        Seat payments and subscriptions as Stripe reported them, newest first. Discounts live on{" "}
        <Link to="/admin/coupons" className="text-accent-strong underline">
          Coupons
        </Link>
        .
      </p>

      <div aria-live="polite" className="mt-6 space-y-3 empty:hidden">
        {result?.state?.formError ? <Alert tone="error">{result.state.formError}</Alert> : null}
        {refunded && !result ? (
          <Alert tone="success">
            {`Refund requested, waiting for Stripe: payment ${refunded} is refunded once Stripe confirms it, and the student’s access ends then.`}
          </Alert>
        ) : null}
      </div>
      {!configured ? (
        <div className="mt-6">
          <PaymentsNotConfigured />
        </div>
      ) : null}

      <Form
        method="get"
        role="search"
        aria-label="Find payments by email"
        className="mt-6 flex flex-wrap items-end gap-4 rounded-2xl border border-line bg-surface p-5"
      >
        <div className="min-w-0 flex-1 basis-64">
          <label htmlFor="payments-q" className="block text-sm font-medium">
            Student&rsquo;s email
          </label>
          <input
            id="payments-q"
            name="q"
            type="search"
            defaultValue={q}
            maxLength={200}
            autoComplete="off"
            className={INPUT_CLASS}
          />
        </div>
        <button
          type="submit"
          className="rounded-lg bg-accent px-4 py-2 font-semibold text-on-accent hover:bg-accent-strong"
        >
          Search
        </button>
        {q ? (
          <Link to="/admin/payments" className="py-2 text-sm text-accent-strong underline">
            Show all
          </Link>
        ) : null}
      </Form>

      <section aria-labelledby="seat-payments-heading" className="mt-10">
        <h2 id="seat-payments-heading" className="text-xl font-semibold">
          Seat payments
        </h2>
        <p className="mt-1 mb-4 text-sm text-muted">
          One-off payments for a seat in a cohort. A refund is asked of Stripe here; the seat ends when Stripe confirms
          it.
        </p>
        {payments.length > 0 ? (
          <>
            <PaymentsTable payments={payments} />
            {morePayments ? (
              <p className="mt-3 text-sm text-muted">Showing the newest 100: search an email to find older ones.</p>
            ) : null}
          </>
        ) : q && recorded.payments > 0 ? (
          <EmptyState title="No payments match">
            No seat payment comes from an email containing &ldquo;{q}&rdquo;. Try part of the address, or{" "}
            <Link to="/admin/payments" className="text-accent-strong underline">
              show all
            </Link>
            .
          </EmptyState>
        ) : (
          <EmptyState title="No seat payments yet">
            {configured
              ? "Payments appear here as soon as Stripe confirms them: students buy a seat from a cohort that is taking enrolments. "
              : "Once Stripe is configured, students can buy a seat and their payments appear here. "}
            To let someone in without paying, enrol them on the{" "}
            <Link to="/admin/cohorts" className="text-accent-strong underline">
              cohort&rsquo;s page
            </Link>
            .
          </EmptyState>
        )}
      </section>

      <section aria-labelledby="subscriptions-heading" className="mt-10">
        <h2 id="subscriptions-heading" className="text-xl font-semibold">
          Subscriptions
        </h2>
        <p className="mt-1 mb-4 text-sm text-muted">
          Monthly self-paced access. Students change or cancel theirs in Stripe&rsquo;s billing portal; refunds of
          invoices are made in the Stripe Dashboard.
        </p>
        {subscriptions.length > 0 ? (
          <>
            <SubscriptionsTable subscriptions={subscriptions} />
            {moreSubscriptions ? (
              <p className="mt-3 text-sm text-muted">Showing the newest 100: search an email to find older ones.</p>
            ) : null}
          </>
        ) : (
          <p className="rounded-2xl border border-dashed border-line bg-surface px-4 py-6 text-center text-muted">
            {q && recorded.subscriptions > 0
              ? `No subscription belongs to an email containing “${q}”.`
              : "No subscriptions yet: they appear when a student subscribes to self-paced access."}
          </p>
        )}
      </section>
    </div>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
