import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/cloudflare";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { getBilling } from "../../db/queries/billing.ts";
import { openBillingPortal } from "../../worker/payments/checkout.ts";
import { DataTable } from "~/components/data-table";
import { EmptyState } from "~/components/empty-state";
import { ErrorPage } from "~/components/error-page";
import { Alert } from "~/components/form";
import { requireUser } from "~/lib/auth.server";
import { formatMoney } from "~/lib/format";
import { paymentDeps, paymentsEnabled, redirectToStripe } from "~/lib/payments.server";
import { pageMeta } from "~/lib/site";

export const meta: MetaFunction = () => [...pageMeta("Billing"), { name: "robots", content: "noindex" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const billing = await getBilling(context.services.db, user);
  const now = Date.now();
  return {
    paymentsEnabled: paymentsEnabled(context),
    hasCustomer: billing.hasCustomer,
    seats: billing.seats
      // An open checkout past its expiry is history the student does not need to see.
      .filter((seat) => seat.status !== "open" || seat.expiresAt.getTime() > now)
      .map((seat) => ({
        checkoutId: seat.checkoutId,
        cohortName: seat.cohortName ?? "A cohort that no longer exists",
        amount: seat.amount != null && seat.currency ? formatMoney(seat.amount, seat.currency) : null,
        refunded: seat.amountRefunded && seat.currency ? formatMoney(seat.amountRefunded, seat.currency) : null,
        date: (seat.paidAt ?? seat.createdAt).toISOString(),
        receiptUrl: seat.receiptUrl,
        resumeUrl: seat.status === "open" ? seat.url : null,
        state: seatState(seat),
      })),
    subscriptions: billing.subscriptions.map((row) => ({
      id: row.id,
      status: row.status,
      access: row.access,
      renews: row.currentPeriodEnd?.toISOString() ?? null,
      cancelAtPeriodEnd: row.cancelAtPeriodEnd,
      graceEndsAt: row.graceEndsAt?.toISOString() ?? null,
    })),
    invoices: billing.invoices.map((invoice) => ({
      id: invoice.id,
      status: invoice.status,
      amount: formatMoney(invoice.status === "paid" ? invoice.amountPaid : invoice.amountDue, invoice.currency),
      date: invoice.issuedAt.toISOString(),
      hostedInvoiceUrl: invoice.hostedInvoiceUrl,
      invoicePdf: invoice.invoicePdf,
    })),
  };
}

function seatState(seat: {
  status: string;
  paymentStatus: string | null;
  refunded: boolean | null;
  disputeStatus: string | null;
  access: string | null;
}): string {
  if (seat.status === "open") return "Waiting for payment";
  if (seat.status === "failed") return "Payment failed";
  if (seat.refunded) return "Refunded";
  if (seat.disputeStatus === "open") return "Disputed: access paused";
  if (seat.disputeStatus === "lost") return "Dispute lost: access ended";
  if (seat.paymentStatus !== "paid") return "Payment processing";
  return seat.access === "active" ? "Paid: access active" : "Paid";
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  return redirectToStripe(() => openBillingPortal(paymentDeps(request, context), user));
}

const dateFormat = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeZone: "UTC" });
const day = (iso: string) => dateFormat.format(new Date(iso));

const SUBSCRIPTION_WORDS: Record<string, string> = {
  active: "Active",
  trialing: "Trial",
  past_due: "Payment overdue",
  unpaid: "Unpaid: access paused",
  paused: "Paused",
  canceled: "Cancelled",
  incomplete: "Waiting for the first payment",
  incomplete_expired: "Never started",
};

const CELL = "px-4 py-3 align-top";
const LINK = "text-accent-strong underline";

export default function Billing() {
  const { seats, subscriptions, invoices, hasCustomer, paymentsEnabled } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as { error?: string } | undefined;
  const nothing = seats.length === 0 && subscriptions.length === 0 && invoices.length === 0;

  return (
    <div className="mx-auto max-w-4xl px-4 py-10 sm:px-6">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-3xl font-bold tracking-tight">Billing</h1>
          <p className="mt-2 text-muted">Your purchases, plan and invoices. Payments are handled by Stripe.</p>
        </div>
        {hasCustomer && paymentsEnabled ? (
          <Form method="post">
            <button type="submit" className="rounded-lg border border-line px-4 py-2 font-medium hover:bg-surface-2">
              Manage payment methods and plan
            </button>
          </Form>
        ) : null}
      </div>
      {result?.error ? (
        <div className="mt-6">
          <Alert tone="error">{result.error}</Alert>
        </div>
      ) : null}

      {nothing ? (
        <div className="mt-8">
          <EmptyState title="No purchases yet">
            Buy a seat in the next cohort or start the monthly plan on the{" "}
            <Link to="/join" className={LINK}>
              Join page
            </Link>
            .
          </EmptyState>
        </div>
      ) : null}

      {subscriptions.length > 0 ? (
        <section aria-labelledby="plan-heading" className="mt-10">
          <h2 id="plan-heading" className="text-xl font-semibold">
            Monthly plan
          </h2>
          <ul className="mt-4 space-y-3">
            {subscriptions.map((plan) => (
              <li key={plan.id} className="rounded-2xl border border-line bg-surface p-5">
                <p className="font-semibold">{SUBSCRIPTION_WORDS[plan.status] ?? plan.status}</p>
                <p className="mt-1 text-sm text-muted">
                  {plan.renews
                    ? plan.cancelAtPeriodEnd
                      ? `Ends on ${day(plan.renews)}; it will not renew.`
                      : `Renews on ${day(plan.renews)}.`
                    : "Stripe has not told us the renewal date yet."}
                  {plan.graceEndsAt && plan.access === "active"
                    ? ` The last payment failed: update your card before ${day(plan.graceEndsAt)} to keep access.`
                    : null}
                </p>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      {seats.length > 0 ? (
        <section aria-labelledby="seats-heading" className="mt-10">
          <h2 id="seats-heading" className="mb-4 text-xl font-semibold">
            Cohort seats
          </h2>
          <DataTable headings={["Cohort", "Date", "Amount", "Status", "Receipt"]}>
            {seats.map((seat) => (
              <tr key={seat.checkoutId}>
                <td className={CELL}>{seat.cohortName}</td>
                <td className={CELL}>{day(seat.date)}</td>
                <td className={CELL}>
                  {seat.amount ?? "—"}
                  {seat.refunded ? <span className="block text-sm text-muted">{seat.refunded} refunded</span> : null}
                </td>
                <td className={CELL}>{seat.state}</td>
                <td className={CELL}>
                  {seat.receiptUrl ? (
                    <a href={seat.receiptUrl} className={LINK} rel="noreferrer" target="_blank">
                      Receipt
                    </a>
                  ) : seat.resumeUrl ? (
                    <a href={seat.resumeUrl} className={LINK}>
                      Finish paying
                    </a>
                  ) : (
                    <span className="text-muted">—</span>
                  )}
                </td>
              </tr>
            ))}
          </DataTable>
        </section>
      ) : null}

      {invoices.length > 0 ? (
        <section aria-labelledby="invoices-heading" className="mt-10">
          <h2 id="invoices-heading" className="mb-4 text-xl font-semibold">
            Invoices
          </h2>
          <DataTable headings={["Date", "Amount", "Status", "Invoice"]}>
            {invoices.map((invoice) => (
              <tr key={invoice.id}>
                <td className={CELL}>{day(invoice.date)}</td>
                <td className={CELL}>{invoice.amount}</td>
                <td className={CELL}>{invoice.status === "paid" ? "Paid" : invoice.status}</td>
                <td className={CELL}>
                  {invoice.hostedInvoiceUrl ? (
                    <a href={invoice.hostedInvoiceUrl} className={LINK} rel="noreferrer" target="_blank">
                      View
                    </a>
                  ) : null}
                  {invoice.invoicePdf ? (
                    <a href={invoice.invoicePdf} className={`${LINK} ml-3`} rel="noreferrer" target="_blank">
                      PDF
                    </a>
                  ) : null}
                </td>
              </tr>
            ))}
          </DataTable>
        </section>
      ) : null}
    </div>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
