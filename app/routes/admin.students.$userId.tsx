import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/cloudflare";
import { Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import * as z from "zod";
import {
  changeRole,
  deactivateStudent,
  getStudentForAdmin,
  getStudentRef,
  placeStudentInCohort,
  reactivateStudent,
  resetStudentProgress,
  type PlacementResult,
} from "../../db/queries/admin-students.ts";
import { ROLES } from "../../db/schema.ts";
import { AccessForm, CohortPlacementForm, ResetProgressForm, RoleForm } from "~/components/admin-student-actions";
import { AdminStudentProgress } from "~/components/admin-student-progress";
import { Breadcrumbs } from "~/components/breadcrumbs";
import { ErrorPage } from "~/components/error-page";
import { Alert } from "~/components/form";
import { formatWhen } from "~/components/project-submission-card";
import { requireAdmin } from "~/lib/auth.server";
import { formError, invalid, type FormState } from "~/lib/forms";
import { notFound } from "~/lib/params";
import { pageMeta } from "~/lib/site";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  ...pageMeta(data ? `${data.user.name} · Students · Admin` : "Account not found"),
  { name: "robots", content: "noindex" },
];

/** Account ids are generated (better-auth's or UUIDs): anything else cannot exist. */
const USER_ID = /^[A-Za-z0-9_-]{1,64}$/;

function userIdParam(value: string | undefined): string {
  if (!value || !USER_ID.test(value)) notFound();
  return value;
}

export async function loader({ params, context }: LoaderFunctionArgs) {
  const admin = await requireAdmin(context);
  const found = await getStudentForAdmin(context.services.db, admin, userIdParam(params.userId));
  if (!found) notFound();
  const { user, enrollments, modules, certificate, counts, cohorts, history } = found;
  const iso = (date: Date) => date.toISOString();
  return {
    user: {
      id: user.id,
      name: user.name,
      email: user.email,
      role: user.role,
      emailVerified: user.emailVerified,
      deactivatedAt: user.deactivatedAt ? iso(user.deactivatedAt) : null,
      createdAt: iso(user.createdAt),
    },
    isSelf: user.id === admin.id,
    enrollments: enrollments.map((row) => ({ ...row, createdAt: iso(row.createdAt) })),
    hasCurrentEnrolment: enrollments.some((row) => row.status === "active" || row.status === "pending"),
    modules,
    certificate: certificate
      ? {
          id: certificate.id,
          issuedAt: iso(certificate.issuedAt),
          revokedAt: certificate.revokedAt ? iso(certificate.revokedAt) : null,
        }
      : null,
    sessions: counts.sessions,
    resetCounts: {
      lectureProgress: counts.lectureProgress,
      lectureViews: counts.lectureViews,
      quizAttempts: counts.quizAttempts,
      interviewCards: counts.interviewCards,
    },
    cohorts,
    history: history.map((entry) => ({ ...entry, createdAt: iso(entry.createdAt) })),
  };
}

const studentForm = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("role"), role: z.enum(ROLES, { error: "Choose Student or Admin." }) }),
  z.object({
    intent: z.literal("place"),
    cohort: z.string({ error: "Choose a cohort." }).trim().min(1, "Choose a cohort.").max(80, "Choose a cohort."),
  }),
  z.object({ intent: z.literal("deactivate") }),
  z.object({ intent: z.literal("reactivate") }),
  z.object({ intent: z.literal("reset") }),
]);

const PLACEMENT_ERRORS: Record<Exclude<PlacementResult, { ok: true }>["reason"], string> = {
  no_such_cohort: "Choose one of the listed cohorts.",
  full: "This cohort is full: every seat is taken. Raise its capacity or choose another cohort.",
  already_in_cohort: "They already have a seat in this cohort.",
  no_such_user: "This account no longer exists.",
};

export async function action({ request, params, context }: ActionFunctionArgs) {
  const admin = await requireAdmin(context);
  const { db } = context.services;
  const student = await getStudentRef(db, admin, userIdParam(params.userId));
  if (!student) notFound();
  const formData = await request.formData();
  const intent = String(formData.get("intent") ?? "");
  const parsed = studentForm.safeParse(Object.fromEntries(formData));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = String(issue?.path[0] ?? "intent");
    return invalid({ fields: {}, errors: { [field]: issue?.message ?? "Choose an action." } }, { intent });
  }
  const form = parsed.data;
  const here = `/admin/students/${student.id}`;
  const done = (what: string) => redirect(`${here}?${new URLSearchParams({ done: what })}`);

  switch (form.intent) {
    case "role": {
      const result = await changeRole(db, admin, student, form.role);
      if (result.ok) return done(form.role === "admin" ? "admin" : "student");
      const message =
        result.reason === "self"
          ? "You cannot change your own role: ask another admin."
          : `This account is already ${form.role === "admin" ? "an admin" : "a student"}.`;
      return invalid({ fields: { role: form.role }, errors: { role: message } }, { intent });
    }
    case "place": {
      const result = await placeStudentInCohort(db, admin, student, form.cohort);
      if (result.ok) return done(result.moved ? "moved" : "enrolled");
      return invalid(
        { fields: { cohort: form.cohort }, errors: { cohort: PLACEMENT_ERRORS[result.reason] } },
        { intent },
      );
    }
    case "deactivate": {
      const result = await deactivateStudent(db, admin, student);
      if (result.ok) return done("deactivated");
      const message =
        result.reason === "self" ? "You cannot deactivate your own account." : "This account is already deactivated.";
      return formError(formData, message, [], { status: 409, intent: "access" });
    }
    case "reactivate": {
      const result = await reactivateStudent(db, admin, student);
      if (result.ok) return done("reactivated");
      return formError(formData, "This account is already active.", [], { status: 409, intent: "access" });
    }
    case "reset": {
      const result = await resetStudentProgress(db, admin, student);
      if (result.ok) return done("reset");
      return notFound();
    }
  }
}

const NOTICES: Record<string, string> = {
  admin: "Role changed: this account is now an admin.",
  student: "Role changed: this account is now a student.",
  moved: "Moved to the new cohort.",
  enrolled: "Enrolled with an active seat.",
  deactivated: "Deactivated: every session has ended and sign-in is refused.",
  reactivated: "Reactivated: this account can sign in again.",
  reset: "Progress reset: lecture progress, lecture views, quiz attempts and interview cards are deleted.",
};

const LINK = "text-accent-strong underline underline-offset-2";

export default function AdminStudent() {
  const data = useLoaderData<typeof loader>();
  const { user } = data;
  const result = useActionData<typeof action>() as { state?: FormState; intent?: string } | undefined;
  const stateFor = (intent: string) => (result?.intent === intent ? result.state : undefined);
  const [search] = useSearchParams();
  const notice = NOTICES[search.get("done") ?? ""];
  const details = [
    { label: "Email", value: user.email + (user.emailVerified ? "" : " (not confirmed)") },
    { label: "Role", value: user.role === "admin" ? "Admin" : "Student" },
    { label: "Joined", value: formatWhen(user.createdAt) },
    { label: "Signed in", value: data.sessions === 1 ? "1 active session" : `${data.sessions} active sessions` },
  ];

  return (
    <div className="mx-auto max-w-5xl px-4 py-10 sm:px-6">
      <Breadcrumbs
        items={[{ label: "Admin", to: "/admin" }, { label: "Students", to: "/admin/students" }, { label: user.name }]}
      />
      <div className="mt-4 flex flex-wrap items-center gap-3">
        <h1 className="text-3xl font-bold tracking-tight">{user.name}</h1>
        {user.deactivatedAt ? (
          <span className="rounded-full bg-surface-2 px-2.5 py-0.5 text-xs font-medium">
            Deactivated {formatWhen(user.deactivatedAt)}
          </span>
        ) : null}
      </div>
      <div aria-live="polite" className="mt-4 empty:hidden">
        {notice && !result ? <Alert tone="success">{notice}</Alert> : null}
      </div>

      <dl className="mt-6 grid gap-4 rounded-2xl border border-line bg-surface p-5 text-sm sm:grid-cols-2 sm:p-6">
        {details.map((item) => (
          <div key={item.label}>
            <dt className="text-muted">{item.label}</dt>
            <dd className="mt-0.5 font-medium break-all">{item.value}</dd>
          </div>
        ))}
      </dl>

      <section aria-labelledby="enrolments-heading" className="mt-10">
        <h2 id="enrolments-heading" className="text-xl font-semibold">
          Enrolments
        </h2>
        {data.enrollments.length === 0 ? (
          <p className="mt-2 text-muted">No enrolment: only free previews are open to them.</p>
        ) : (
          <ul className="mt-4 divide-y divide-line rounded-2xl border border-line bg-surface text-sm">
            {data.enrollments.map((enrollment) => (
              <li key={enrollment.id} className="flex flex-wrap justify-between gap-2 px-4 py-3">
                <span>
                  <span className="font-medium capitalize">{enrollment.status}</span>
                  {" · "}
                  {enrollment.cohortSlug ? (
                    <Link to={`/admin/cohorts/${enrollment.cohortSlug}`} className={LINK}>
                      {enrollment.cohortName}
                    </Link>
                  ) : (
                    "no cohort"
                  )}
                  <span className="text-muted"> · via {enrollment.source}</span>
                </span>
                <span className="text-muted">since {formatWhen(enrollment.createdAt)}</span>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="progress-heading" className="mt-10">
        <h2 id="progress-heading" className="text-xl font-semibold">
          Progress
        </h2>
        <p className="mt-1 mb-4 text-sm text-muted">
          Each published module: lectures completed, the quiz and the project.
        </p>
        <AdminStudentProgress modules={data.modules} />
        <p className="mt-4 text-sm">
          <span className="font-medium">Certificate: </span>
          {data.certificate ? (
            <>
              <Link to={`/certificates/${data.certificate.id}`} className={LINK}>
                issued {formatWhen(data.certificate.issuedAt)}
              </Link>
              {data.certificate.revokedAt ? ` · revoked ${formatWhen(data.certificate.revokedAt)}` : ""}
            </>
          ) : (
            <span className="text-muted">not earned yet</span>
          )}
        </p>
      </section>

      <section aria-labelledby="manage-heading" className="mt-10">
        <h2 id="manage-heading" className="text-xl font-semibold">
          Manage
        </h2>
        <div className="mt-4 grid gap-6 lg:grid-cols-2">
          <RoleForm role={user.role} isSelf={data.isSelf} state={stateFor("role")} />
          <CohortPlacementForm
            cohorts={data.cohorts}
            hasCurrentEnrolment={data.hasCurrentEnrolment}
            state={stateFor("place")}
          />
          <AccessForm
            name={user.name}
            deactivated={user.deactivatedAt !== null}
            isSelf={data.isSelf}
            sessions={data.sessions}
            state={stateFor("access")}
          />
          <ResetProgressForm name={user.name} counts={data.resetCounts} state={stateFor("reset")} />
        </div>
      </section>

      <section aria-labelledby="history-heading" className="mt-10">
        <h2 id="history-heading" className="text-xl font-semibold">
          Admin actions on this account
        </h2>
        {data.history.length === 0 ? (
          <p className="mt-2 text-muted">None yet.</p>
        ) : (
          <ol className="mt-4 divide-y divide-line rounded-2xl border border-line bg-surface text-sm">
            {data.history.map((entry) => (
              <li key={entry.id} className="px-4 py-3">
                {entry.summary}
                <span className="block text-xs text-muted">
                  {entry.actorEmail} · {formatWhen(entry.createdAt)}
                </span>
              </li>
            ))}
          </ol>
        )}
      </section>
    </div>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
