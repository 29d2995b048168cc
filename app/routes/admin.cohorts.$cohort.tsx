import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/cloudflare";
import { Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import * as z from "zod";
import { cohortPhase, moduleReleaseAt } from "../../db/cohorts/release.ts";
import { getCohortAdminPage, removeStudentFromCohort } from "../../db/queries/admin-cohorts.ts";
import { cohortIdBySlug, enrollStudentByAdmin, shiftCohortDates } from "../../db/queries/cohorts.ts";
import { releaseModuleEarly } from "../../db/queries/release-overrides.ts";
import { CohortDate, CohortPhaseBadge } from "~/components/admin-cohort-date";
import { EnrolStudentForm, ReleaseEarlyForm, ShiftDatesForm } from "~/components/admin-cohort-forms";
import { AdminCohortRoster } from "~/components/admin-cohort-roster";
import {
  AdminCohortEarlyReleases,
  AdminCohortSchedule,
  type ScheduledModule,
} from "~/components/admin-cohort-schedule";
import { Breadcrumbs } from "~/components/breadcrumbs";
import { ErrorPage } from "~/components/error-page";
import { Alert } from "~/components/form";
import { formatMoney } from "~/lib/format";
import { requireAdmin } from "~/lib/auth.server";
import { syncClockAfterEdit } from "~/lib/cohort-clock.server";
import { formError, invalid, parseForm, type FormState } from "~/lib/forms";
import { notFound, slugParam } from "~/lib/params";
import { pageMeta } from "~/lib/site";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  ...pageMeta(data ? `${data.cohort.name} · Cohorts · Admin` : "Cohort not found"),
  { name: "robots", content: "noindex" },
];

export async function loader({ params, context }: LoaderFunctionArgs) {
  const admin = await requireAdmin(context);
  const { db } = context.services;
  const slug = slugParam(params.cohort);
  const found = await getCohortAdminPage(db, admin, slug);
  if (!found) notFound();
  const { cohort, roster, totals, modules, overrides } = found;
  const now = new Date();
  const iso = (date: Date) => date.toISOString();
  return {
    cohort: {
      slug: cohort.slug,
      name: cohort.name,
      courseTitle: cohort.courseTitle,
      timezone: cohort.timezone,
      phase: cohortPhase(cohort, now),
      startsAt: iso(cohort.startsAt),
      endsAt: iso(cohort.endsAt),
      enrollmentOpensAt: iso(cohort.enrollmentOpensAt),
      enrollmentClosesAt: iso(cohort.enrollmentClosesAt),
      seatsTaken: cohort.seatsTaken,
      capacity: cohort.capacity,
      price: formatMoney(cohort.priceCents, cohort.currency),
    },
    schedule: modules.map((module): ScheduledModule => {
      const opensAt = moduleReleaseAt(cohort, module);
      return {
        slug: module.slug,
        title: module.title,
        day: module.releaseOffsetDays + 1,
        opensAt: iso(opensAt),
        released: opensAt <= now,
      };
    }),
    roster: roster.map(({ enrolledAt: _enrolledAt, ...entry }) => entry),
    totals,
    overrides: overrides.map((row) => ({ ...row, releasedAt: iso(row.releasedAt) })),
  };
}

const studentEmail = z
  .string({ error: "Enter the student's email address." })
  .trim()
  .min(1, "Enter the student's email address.")
  .max(254, "That email address is too long.")
  .pipe(z.email("Enter a valid email address, like name@example.com."));

const cohortForm = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("shift"),
    days: z
      .string({ error: "Enter a number of days." })
      .trim()
      .regex(/^[+-]?\d{1,3}$/, "Enter a whole number of days, like 7 or -3.")
      .transform(Number)
      .refine((days) => days >= -365 && days <= 365, "Shift by at most 365 days either way.")
      .refine((days) => days !== 0, "Enter a number of days other than 0."),
  }),
  z.object({ intent: z.literal("enrol"), email: studentEmail }),
  z.object({
    intent: z.literal("release"),
    email: studentEmail,
    module: z.string({ error: "Choose a module." }).trim().min(1, "Choose a module.").max(100, "Choose a module."),
  }),
  z.object({
    intent: z.literal("remove"),
    enrollment: z.string().regex(/^[A-Za-z0-9-]{1,64}$/, "Choose a student on the roster."),
  }),
]);

const ECHO = ["days", "email", "module"];

export async function action({ request, params, context }: ActionFunctionArgs) {
  const admin = await requireAdmin(context);
  const { db, log } = context.services;
  const slug = slugParam(params.cohort);
  const formData = await request.formData();
  const intent = String(formData.get("intent") ?? "");
  const parsed = parseForm(formData, cohortForm, ECHO);
  if (!parsed.ok) return invalid(parsed.state, { intent });
  const form = parsed.data;
  const here = `/admin/cohorts/${slug}`;

  if (form.intent === "shift") {
    if (!(await shiftCohortDates(db, admin, slug, form.days))) notFound();
    const cohortId = await cohortIdBySlug(db, slug);
    // The dates are stored; the cohort's clock learns the new schedule now, or from the
    // periodic sync if the clock cannot be reached at this moment.
    const synced = cohortId !== null && (await syncClockAfterEdit(context.cloudflare.env, db, log, cohortId));
    return redirect(
      `${here}?${new URLSearchParams({ shifted: String(form.days), ...(synced ? {} : { clock: "later" }) })}`,
    );
  }

  if (form.intent === "enrol") {
    const result = await enrollStudentByAdmin(db, admin, form.email, slug);
    if (result.ok) return redirect(`${here}?${new URLSearchParams({ enrolled: form.email })}`);
    switch (result.reason) {
      case "no_such_cohort":
      case "not_admin":
        return notFound();
      case "no_such_user":
        return fieldError(
          "enrol",
          form.email,
          "email",
          "No account uses this email address: the student registers first.",
        );
      case "already_enrolled":
        return fieldError("enrol", form.email, "email", "This student already has a seat in this cohort.");
      case "full":
      case "closed":
        return formError(
          formData,
          "This cohort is full: every seat is taken. Raise its capacity or choose another cohort.",
          ECHO,
          {
            status: 409,
            intent,
          },
        );
    }
  }

  if (form.intent === "remove") {
    if (await removeStudentFromCohort(db, admin, slug, form.enrollment)) return redirect(`${here}?removed=1`);
    return formError(formData, "That student has no current seat in this cohort: nothing was changed.", ECHO, {
      status: 409,
      intent,
    });
  }

  const result = await releaseModuleEarly(db, admin, {
    cohortSlug: slug,
    studentEmail: form.email,
    moduleSlug: form.module,
  });
  if (result.ok) return redirect(`${here}?${new URLSearchParams({ released: form.module, student: form.email })}`);
  const fields = { email: form.email, module: form.module };
  switch (result.reason) {
    case "not_admin":
      return notFound();
    case "no_such_user":
      return invalid({ fields, errors: { email: "No account uses this email address." } }, { intent });
    case "not_in_cohort":
      return invalid({ fields, errors: { email: "This student has no seat in this cohort." } }, { intent });
    case "no_such_module":
      return invalid({ fields, errors: { module: "Choose one of the published modules." } }, { intent });
  }
}

function fieldError(intent: string, email: string, field: string, message: string) {
  return invalid({ fields: { email }, errors: { [field]: message } }, { intent });
}

export default function AdminCohort() {
  const { cohort, schedule, roster, totals, overrides } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as { state?: FormState; intent?: string } | undefined;
  const stateFor = (intent: string) => (result?.intent === intent ? result.state : undefined);
  const [search] = useSearchParams();
  const notice = successNotice(search, schedule);
  const details = [
    { label: "Course", value: cohort.courseTitle },
    { label: "Timezone", value: cohort.timezone },
    { label: "Starts", value: <CohortDate iso={cohort.startsAt} timeZone={cohort.timezone} /> },
    { label: "Ends", value: <CohortDate iso={cohort.endsAt} timeZone={cohort.timezone} /> },
    { label: "Enrolment opens", value: <CohortDate iso={cohort.enrollmentOpensAt} timeZone={cohort.timezone} /> },
    { label: "Enrolment closes", value: <CohortDate iso={cohort.enrollmentClosesAt} timeZone={cohort.timezone} /> },
    { label: "Seats", value: `${cohort.seatsTaken} of ${cohort.capacity} taken` },
    { label: "Price", value: cohort.price },
  ];

  return (
    <div className="mx-auto max-w-5xl px-4 py-10 sm:px-6">
      <Breadcrumbs
        items={[{ label: "Admin", to: "/admin" }, { label: "Cohorts", to: "/admin/cohorts" }, { label: cohort.name }]}
      />
      <div className="mt-4 flex flex-wrap items-center gap-3">
        <h1 className="text-3xl font-bold tracking-tight">{cohort.name}</h1>
        <CohortPhaseBadge phase={cohort.phase} />
      </div>
      <p className="mt-3 flex flex-wrap gap-4 text-sm">
        <Link to={`/admin/cohorts/${cohort.slug}/edit`} className="text-accent-strong underline underline-offset-2">
          Edit cohort
        </Link>
        <a
          href={`/admin/cohorts/${cohort.slug}/roster.csv`}
          download
          className="text-accent-strong underline underline-offset-2"
        >
          Download roster (CSV)
        </a>
      </p>
      <div aria-live="polite" className="mt-4 empty:hidden">
        {notice && !result ? <Alert tone="success">{notice}</Alert> : null}
        {result?.intent === "remove" && result.state?.formError ? (
          <Alert tone="error">{result.state.formError}</Alert>
        ) : null}
      </div>

      <dl className="mt-6 grid gap-4 rounded-2xl border border-line bg-surface p-5 text-sm sm:grid-cols-2 sm:p-6">
        {details.map((item) => (
          <div key={item.label}>
            <dt className="text-muted">{item.label}</dt>
            <dd className="mt-0.5 font-medium">{item.value}</dd>
          </div>
        ))}
      </dl>

      <section aria-labelledby="schedule-heading" className="mt-10">
        <h2 id="schedule-heading" className="text-xl font-semibold">
          Release schedule
        </h2>
        <p className="mt-1 mb-4 text-sm text-muted">When each published module opens for this cohort.</p>
        <AdminCohortSchedule modules={schedule} timeZone={cohort.timezone} />
      </section>

      <section aria-labelledby="roster-heading" className="mt-10">
        <h2 id="roster-heading" className="text-xl font-semibold">
          Roster
        </h2>
        <p className="mt-1 mb-4 text-sm text-muted">
          Every enrolment, newest first, with progress across the published course: lectures completed, module quizzes
          passed and required projects approved.
        </p>
        <AdminCohortRoster roster={roster} totals={totals} />
        <AdminCohortEarlyReleases releases={overrides} timeZone={cohort.timezone} />
      </section>

      <section aria-labelledby="manage-heading" className="mt-10">
        <h2 id="manage-heading" className="text-xl font-semibold">
          Manage
        </h2>
        <div className="mt-4 grid gap-6 lg:grid-cols-2">
          <ShiftDatesForm state={stateFor("shift")} />
          <EnrolStudentForm state={stateFor("enrol")} />
          <ReleaseEarlyForm state={stateFor("release")} modules={schedule} />
        </div>
      </section>

      <p className="mt-10">
        <Link
          to="/admin/cohorts"
          className="text-sm text-accent-strong underline underline-offset-2 hover:no-underline"
        >
          All cohorts
        </Link>
      </p>
    </div>
  );
}

/** What the last successful action did, read from the redirect's query string. */
function successNotice(search: URLSearchParams, schedule: ScheduledModule[]): string | null {
  const later =
    search.get("clock") === "later" ? " The live countdown picks up the new dates on its next scheduled sync." : "";
  if (search.get("created")) return `Cohort created.${later}`;
  if (search.get("edited")) return `Changes saved.${later}`;
  if (search.get("removed")) return "Removed from the cohort: the enrolment is cancelled and the seat is free.";
  const shifted = search.get("shifted");
  if (shifted) {
    const days = Number(shifted);
    const moved = `Moved ${Math.abs(days)} ${Math.abs(days) === 1 ? "day" : "days"} ${days > 0 ? "later" : "earlier"}.`;
    return search.get("clock") === "later"
      ? `${moved} The live countdown picks up the new dates on its next scheduled sync.`
      : moved;
  }
  const enrolled = search.get("enrolled");
  if (enrolled) return `Enrolled ${enrolled} with an active seat.`;
  const released = search.get("released");
  if (released) {
    const title = schedule.find((module) => module.slug === released)?.title ?? released;
    return `${title} is open now for ${search.get("student") ?? "the student"}.`;
  }
  return null;
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
