import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/cloudflare";
import { data, redirect } from "@remix-run/cloudflare";
import { Form, Link, useLoaderData } from "@remix-run/react";
import * as z from "zod";
import { getCheckoutState } from "../../db/queries/checkouts.ts";
import { cancelCheckout } from "../../worker/payments/checkout.ts";
import { ErrorPage } from "~/components/error-page";
import { Alert } from "~/components/form";
import { requireUser } from "~/lib/auth.server";
import { paymentDeps } from "~/lib/payments.server";
import { pageMeta } from "~/lib/site";

export const meta: MetaFunction = () => [...pageMeta("Payment cancelled"), { name: "robots", content: "noindex" }];

const query = z.object({ checkout: z.uuid() });

async function ownCheckout(request: Request, context: LoaderFunctionArgs["context"]) {
  const user = await requireUser(request, context);
  const parsed = query.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  const checkout = parsed.success ? await getCheckoutState(context.services.db, user, parsed.data.checkout) : null;
  if (!checkout) throw data(null, { status: 404 });
  return { user, checkout };
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { checkout } = await ownCheckout(request, context);
  return { status: checkout.status, kind: checkout.kind, cohortName: checkout.cohortName, access: checkout.access };
}

/** Releasing the seat is a POST: Stripe's redirect back here (a GET) changes nothing. */
export async function action({ request, context }: ActionFunctionArgs) {
  const { user, checkout } = await ownCheckout(request, context);
  await cancelCheckout(paymentDeps(request, context), user, checkout.id);
  throw redirect(new URL(request.url).pathname + new URL(request.url).search, 303);
}

export default function CheckoutCancel() {
  const { status, kind, cohortName, access } = useLoaderData<typeof loader>();
  const held = kind === "seat" && status === "open";
  return (
    <div className="mx-auto max-w-2xl px-4 py-16 sm:px-6">
      <h1 className="text-3xl font-bold tracking-tight">Payment not completed</h1>
      <div className="mt-6 space-y-6" aria-live="polite">
        {access === "active" || status === "complete" ? (
          <Alert tone="success">
            This checkout was completed after all.{" "}
            <Link to="/billing" className="underline">
              See billing
            </Link>
          </Alert>
        ) : (
          <p className="text-muted">Nothing was charged.</p>
        )}
        {held ? (
          <>
            <p className="text-muted">
              Your seat in {cohortName ?? "the cohort"} stays held for a little while in case you change your mind.
              Release it if you are not going to buy it, so someone else can.
            </p>
            <div className="flex flex-wrap gap-3">
              <Link
                to="/join"
                className="rounded-lg bg-accent px-4 py-2 font-medium text-on-accent hover:bg-accent-strong"
              >
                Back to the cohorts
              </Link>
              <Form method="post">
                <button
                  type="submit"
                  className="rounded-lg border border-line px-4 py-2 font-medium hover:bg-surface-2"
                >
                  Release my seat
                </button>
              </Form>
            </div>
          </>
        ) : status === "expired" ? (
          <p className="text-muted">
            The checkout has ended and any held seat was released.{" "}
            <Link to="/join" className="text-accent-strong underline">
              Choose again
            </Link>
          </p>
        ) : null}
      </div>
    </div>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
