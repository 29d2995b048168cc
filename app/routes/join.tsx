import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/cloudflare";
import { data } from "@remix-run/cloudflare";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import * as z from "zod";
import { listOpenCohorts } from "../../db/queries/cohorts.ts";
import { currentEnrollmentsQuery } from "../../db/queries/billing.ts";
import { startCheckout } from "../../worker/payments/checkout.ts";
import { paymentsConfig, type PaymentsEnv } from "../../worker/payments/stripe-client.ts";
import { ErrorPage } from "~/components/error-page";
import { Alert } from "~/components/form";
import { CheckIcon } from "~/components/icons";
import { getOptionalUser, requireUser } from "~/lib/auth.server";
import { formatShort } from "~/lib/cohort-format";
import { formatMoney, plural } from "~/lib/format";
import { paymentDeps, redirectToStripe } from "~/lib/payments.server";
import { pageMeta } from "~/lib/site";

export const meta: MetaFunction = () =>
  pageMeta("Join a cohort", "Buy a seat in the next DevOps cohort, or learn at your own pace by the month.");

export async function loader({ context }: LoaderFunctionArgs) {
  const { db } = context.services;
  const user = await getOptionalUser(context);
  const [open, mine] = await db.batch([listOpenCohorts(db), currentEnrollmentsQuery(db, user)]);
  const config = paymentsConfig(context.cloudflare.env as PaymentsEnv);
  return {
    signedIn: user !== null,
    paymentsEnabled: config !== null,
    monthly: config ? formatMoney(config.monthlyPriceCents, config.currency) : null,
    subscribed: mine.some((row) => row.source === "subscription" && row.status === "active"),
    cohorts: open.map((cohort) => ({
      slug: cohort.slug,
      name: cohort.name,
      courseTitle: cohort.courseTitle,
      timezone: cohort.timezone,
      startsAt: cohort.startsAt.toISOString(),
      closesAt: cohort.enrollmentClosesAt.toISOString(),
      price: formatMoney(cohort.priceCents, cohort.currency),
      seatsLeft: Math.max(0, cohort.capacity - cohort.seatsTaken),
      mine: mine.find((row) => row.cohortId === cohort.id)?.status ?? null,
    })),
  };
}

const purchase = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("seat"), cohort: z.string().trim().min(1).max(80) }),
  z.object({ intent: z.literal("subscription") }),
]);

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const parsed = purchase.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return data({ error: "Choose a cohort or the monthly plan.", code: "BAD_REQUEST" }, 400);
  const choice = parsed.data;
  return redirectToStripe(async () => {
    const started = await startCheckout(
      paymentDeps(request, context),
      user,
      choice.intent === "seat" ? { kind: "seat", cohortSlug: choice.cohort } : { kind: "subscription" },
    );
    return started.url;
  });
}

const BUTTON =
  "inline-flex w-full items-center justify-center rounded-lg bg-accent px-4 py-2.5 font-semibold text-on-accent hover:bg-accent-strong disabled:cursor-not-allowed disabled:opacity-60";

export default function Join() {
  const { cohorts, paymentsEnabled, signedIn, monthly, subscribed } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as { error?: string } | undefined;
  const navigation = useNavigation();
  const busy = navigation.state !== "idle" && navigation.formMethod === "POST";

  return (
    <div className="mx-auto max-w-5xl px-4 py-10 sm:px-6">
      <h1 className="text-3xl font-bold tracking-tight">Join a cohort</h1>
      <p className="mt-2 max-w-2xl text-muted">
        Start with your batch on a fixed date and move through the modules together, or learn at your own pace with a
        monthly plan. Payment is handled by Stripe; your seat is held while you pay.
      </p>

      <div className="mt-6 space-y-3" aria-live="polite">
        {!paymentsEnabled ? (
          <Alert tone="info">
            Online payments are not set up on this server yet. Write to the school and an admin will enrol you by hand.
          </Alert>
        ) : null}
        {result?.error ? <Alert tone="error">{result.error}</Alert> : null}
        {!signedIn && paymentsEnabled ? (
          <Alert tone="info">
            <Link to="/login?redirectTo=/join" className="font-medium underline">
              Sign in
            </Link>{" "}
            or{" "}
            <Link to="/register" className="font-medium underline">
              create an account
            </Link>{" "}
            to buy a seat.
          </Alert>
        ) : null}
      </div>

      <section aria-labelledby="cohorts-heading" className="mt-10">
        <h2 id="cohorts-heading" className="text-xl font-semibold">
          Cohorts taking students
        </h2>
        {cohorts.length === 0 ? (
          <p className="mt-3 text-muted">
            No cohort is taking students right now. The monthly plan below opens every module today.
          </p>
        ) : (
          <ul className="mt-4 grid gap-4 md:grid-cols-2">
            {cohorts.map((cohort) => (
              <li key={cohort.slug} className="flex flex-col rounded-2xl border border-line bg-surface p-6">
                <p className="font-mono text-sm font-semibold text-accent-strong">{cohort.courseTitle}</p>
                <h3 className="mt-1 text-2xl font-bold">{cohort.name}</h3>
                <p className="mt-2 text-muted">
                  Starts {formatShort(cohort.startsAt, cohort.timezone)} · enrolment closes{" "}
                  {formatShort(cohort.closesAt, cohort.timezone)}
                </p>
                <p className="mt-4 text-3xl font-bold">{cohort.price}</p>
                <p className="mt-1 text-sm text-muted">
                  {cohort.seatsLeft > 0 ? `${plural(cohort.seatsLeft, "seat")} left` : "Sold out"}
                </p>
                <div className="mt-6 flex-1" />
                {cohort.mine === "active" ? (
                  <p className="flex items-center gap-2 font-medium text-emerald-700 dark:text-emerald-300">
                    <CheckIcon className="size-5" /> You have a seat in this cohort.
                  </p>
                ) : cohort.mine === "pending" ? (
                  <p className="text-muted">
                    Your seat is held while your payment completes.{" "}
                    <Link to="/billing" className="text-accent-strong underline">
                      See billing
                    </Link>
                  </p>
                ) : (
                  <Form method="post">
                    <input type="hidden" name="intent" value="seat" />
                    <input type="hidden" name="cohort" value={cohort.slug} />
                    <button
                      type="submit"
                      className={BUTTON}
                      disabled={!paymentsEnabled || !signedIn || cohort.seatsLeft === 0 || busy}
                    >
                      {cohort.seatsLeft === 0 ? "Sold out" : `Buy a seat in ${cohort.name}`}
                    </button>
                  </Form>
                )}
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="monthly-heading" className="mt-12">
        <h2 id="monthly-heading" className="text-xl font-semibold">
          Self-paced, by the month
        </h2>
        <div className="mt-4 flex flex-col gap-4 rounded-2xl border border-line bg-surface p-6 md:flex-row md:items-center md:justify-between">
          <div>
            <p className="text-2xl font-bold">{monthly ? `${monthly} a month` : "Monthly plan"}</p>
            <p className="mt-1 max-w-xl text-muted">
              Every module, quiz and project at once, without a cohort schedule. Cancel any time from your billing page.
            </p>
          </div>
          <div className="md:w-64">
            {subscribed ? (
              <p className="flex items-center gap-2 font-medium text-emerald-700 dark:text-emerald-300">
                <CheckIcon className="size-5" /> Your plan is active.
              </p>
            ) : (
              <Form method="post">
                <input type="hidden" name="intent" value="subscription" />
                <button type="submit" className={BUTTON} disabled={!paymentsEnabled || !signedIn || busy}>
                  Subscribe monthly
                </button>
              </Form>
            )}
          </div>
        </div>
      </section>
    </div>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
