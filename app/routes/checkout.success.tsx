import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/cloudflare";
import { data } from "@remix-run/cloudflare";
import { Link, useLoaderData, useRevalidator } from "@remix-run/react";
import { useEffect } from "react";
import * as z from "zod";
import { getCheckoutState, type CheckoutState } from "../../db/queries/checkouts.ts";
import { ErrorPage } from "~/components/error-page";
import { Alert } from "~/components/form";
import { requireUser } from "~/lib/auth.server";
import { pageMeta } from "~/lib/site";

/** Whether Stripe has told us the outcome yet (the webhook, not this redirect, decides it). */
function outcome(checkout: CheckoutState): "active" | "pending" | "failed" | "expired" | "suspended" {
  if (checkout.access === "active") return "active";
  if (checkout.status === "failed") return "failed";
  if (checkout.status === "expired") return "expired";
  if (checkout.access === "refunded" || checkout.access === "suspended") return "suspended";
  return "pending";
}

export const meta: MetaFunction = () => [...pageMeta("Payment"), { name: "robots", content: "noindex" }];

const query = z.object({ checkout: z.uuid() });

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const parsed = query.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  const checkout = parsed.success ? await getCheckoutState(context.services.db, user, parsed.data.checkout) : null;
  if (!checkout) throw data(null, { status: 404 });
  return {
    checkoutId: checkout.id,
    outcome: outcome(checkout),
    kind: checkout.kind,
    cohortName: checkout.cohortName,
    paymentStatus: checkout.paymentStatus,
  };
}

/** Asks the server again every two seconds while the payment is still being confirmed. */
function usePollWhile(active: boolean) {
  const { revalidate, state } = useRevalidator();
  useEffect(() => {
    if (!active || state !== "idle") return;
    const timer = window.setTimeout(revalidate, 2000);
    return () => window.clearTimeout(timer);
  }, [active, revalidate, state]);
}

export default function CheckoutSuccess() {
  const { checkoutId, outcome: result, kind, cohortName, paymentStatus } = useLoaderData<typeof loader>();
  usePollWhile(result === "pending");
  const what = kind === "seat" ? `your seat in ${cohortName ?? "the cohort"}` : "your monthly plan";

  return (
    <div className="mx-auto max-w-2xl px-4 py-16 sm:px-6">
      <div aria-live="polite" className="space-y-6">
        {result === "active" ? (
          <>
            <h1 className="text-3xl font-bold tracking-tight">You're in</h1>
            <Alert tone="success">Stripe confirmed your payment: {what} is active.</Alert>
            <p className="text-muted">Every lecture your schedule has opened is waiting on your dashboard.</p>
            <Link
              to="/dashboard"
              className="inline-flex rounded-lg bg-accent px-5 py-2.5 font-semibold text-on-accent hover:bg-accent-strong"
            >
              Go to your dashboard
            </Link>
          </>
        ) : result === "pending" ? (
          <>
            <h1 className="text-3xl font-bold tracking-tight">Confirming your payment…</h1>
            <p className="flex items-center gap-3 text-muted">
              <span
                aria-hidden="true"
                className="size-4 animate-spin rounded-full border-2 border-line border-t-accent motion-reduce:animate-none"
              />
              {paymentStatus === "unpaid"
                ? "Your bank is still processing the payment; this can take a few days. Your seat stays held meanwhile."
                : `Waiting for Stripe to confirm ${what}. This page updates by itself, usually within seconds.`}
            </p>
            <p className="text-sm text-muted">
              {/* Without JavaScript nothing polls: a plain link asks again. */}
              <Link to={`?checkout=${checkoutId}`} reloadDocument className="text-accent-strong underline">
                Check again
              </Link>{" "}
              or leave this page: your{" "}
              <Link to="/billing" className="text-accent-strong underline">
                billing page
              </Link>{" "}
              shows the status too.
            </p>
          </>
        ) : result === "failed" ? (
          <>
            <h1 className="text-3xl font-bold tracking-tight">The payment did not go through</h1>
            <Alert tone="error">Your bank declined or reversed the payment, so the seat was released.</Alert>
            <Link to="/join" className="text-accent-strong underline">
              Try again
            </Link>
          </>
        ) : result === "expired" ? (
          <>
            <h1 className="text-3xl font-bold tracking-tight">This checkout has expired</h1>
            <p className="text-muted">Nothing was charged and the held seat was released.</p>
            <Link to="/join" className="text-accent-strong underline">
              Start again
            </Link>
          </>
        ) : (
          <>
            <h1 className="text-3xl font-bold tracking-tight">Access paused</h1>
            <p className="text-muted">
              This payment was refunded or disputed, so its access is paused. See your{" "}
              <Link to="/billing" className="text-accent-strong underline">
                billing page
              </Link>
              .
            </p>
          </>
        )}
      </div>
    </div>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
