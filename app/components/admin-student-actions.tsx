import { Form } from "@remix-run/react";
import type { ReactNode } from "react";
import { ConfirmAction } from "~/components/admin-confirm";
import { Alert, SubmitButton } from "~/components/form";
import type { FormState } from "~/lib/forms";

// What an admin can do to an account. Each is a plain post with an `intent`, so it works
// without JavaScript; deactivating and resetting progress need a second, explicit click.

const CARD = "space-y-3 rounded-2xl border border-line bg-surface p-5 sm:p-6";
const SELECT_CLASS =
  "mt-1.5 block w-full rounded-lg border border-line bg-surface px-3 py-2 aria-invalid:border-red-600 dark:aria-invalid:border-red-400";

function Card({ id, title, intro, children }: { id: string; title: string; intro: ReactNode; children: ReactNode }) {
  return (
    <section aria-labelledby={id} className={CARD}>
      <h3 id={id} className="text-lg font-semibold">
        {title}
      </h3>
      <p className="text-sm text-muted">{intro}</p>
      {children}
    </section>
  );
}

function Problem({ state, field }: { state?: FormState; field?: string }) {
  const message = field ? state?.errors[field] : state?.formError;
  return message ? <Alert tone="error">{message}</Alert> : null;
}

export function RoleForm({ role, isSelf, state }: { role: string; isSelf: boolean; state?: FormState }) {
  return (
    <Card id="role-heading" title="Role" intro="Admins see the admin pages; students see only their own learning.">
      {isSelf ? (
        <p className="text-sm">This is your own account: another admin has to change its role.</p>
      ) : (
        <Form method="post" className="space-y-3">
          <input type="hidden" name="intent" value="role" />
          <Problem state={state} field="role" />
          <div>
            <label htmlFor="student-role" className="block text-sm font-medium">
              Role
            </label>
            <select id="student-role" name="role" defaultValue={state?.fields.role ?? role} className={SELECT_CLASS}>
              <option value="student">Student</option>
              <option value="admin">Admin</option>
            </select>
          </div>
          <div className="sm:w-48">
            <SubmitButton pending="Saving…">Change role</SubmitButton>
          </div>
        </Form>
      )}
    </Card>
  );
}

export function CohortPlacementForm({
  cohorts,
  hasCurrentEnrolment,
  state,
}: {
  cohorts: Array<{ slug: string; name: string }>;
  hasCurrentEnrolment: boolean;
  state?: FormState;
}) {
  const error = state?.errors.cohort;
  return (
    <Card
      id="cohort-heading"
      title={hasCurrentEnrolment ? "Change cohort" : "Enrol in a cohort"}
      intro={
        hasCurrentEnrolment
          ? "Moves their current enrolment to another cohort, keeping its status. The cohort's capacity holds."
          : "Gives them an active enrolment in a cohort, even after its enrolment closed. The cohort's capacity holds."
      }
    >
      {cohorts.length === 0 ? (
        <p className="text-sm">No cohort is running or upcoming.</p>
      ) : (
        <Form method="post" className="space-y-3">
          <input type="hidden" name="intent" value="place" />
          <div>
            <label htmlFor="student-cohort" className="block text-sm font-medium">
              Cohort
            </label>
            <select
              id="student-cohort"
              name="cohort"
              defaultValue={state?.fields.cohort ?? ""}
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? "student-cohort-error" : undefined}
              className={SELECT_CLASS}
            >
              <option value="" disabled>
                Choose a cohort
              </option>
              {cohorts.map((cohort) => (
                <option key={cohort.slug} value={cohort.slug}>
                  {cohort.name}
                </option>
              ))}
            </select>
            {error ? (
              <p id="student-cohort-error" className="mt-1 text-sm text-red-700 dark:text-red-400">
                {error}
              </p>
            ) : null}
          </div>
          <div className="sm:w-48">
            <SubmitButton pending="Saving…">{hasCurrentEnrolment ? "Move" : "Enrol"}</SubmitButton>
          </div>
        </Form>
      )}
    </Card>
  );
}

export function AccessForm({
  name,
  deactivated,
  isSelf,
  sessions,
  state,
}: {
  name: string;
  deactivated: boolean;
  isSelf: boolean;
  sessions: number;
  state?: FormState;
}) {
  return (
    <Card
      id="access-heading"
      title={deactivated ? "Reactivate" : "Deactivate"}
      intro={
        deactivated
          ? "This account is deactivated: it cannot sign in. Reactivating lets it sign in again."
          : "A deactivated account is signed out everywhere and cannot sign in until it is reactivated. Nothing it owns is deleted."
      }
    >
      <Problem state={state} />
      {deactivated ? (
        <Form method="post">
          <input type="hidden" name="intent" value="reactivate" />
          <div className="sm:w-48">
            <SubmitButton pending="Reactivating…">Reactivate</SubmitButton>
          </div>
        </Form>
      ) : isSelf ? (
        <p className="text-sm">This is your own account: you cannot deactivate yourself.</p>
      ) : (
        <ConfirmAction summary="Deactivate…" intent="deactivate" confirm={`Deactivate ${name}`}>
          <p>
            {name} is signed out of {sessions === 1 ? "their 1 active session" : `all ${sessions} active sessions`} at
            once and cannot sign in until an admin reactivates the account.
          </p>
        </ConfirmAction>
      )}
    </Card>
  );
}

export type ResetCounts = {
  lectureProgress: number;
  lectureViews: number;
  quizAttempts: number;
  interviewCards: number;
};

export function ResetProgressForm({ name, counts, state }: { name: string; counts: ResetCounts; state?: FormState }) {
  const items = [
    [counts.lectureProgress, "lecture progress record", "completed lectures and saved video positions"],
    [counts.lectureViews, "lecture view", "which lectures they opened, and when"],
    [counts.quizAttempts, "quiz attempt", "scores and passes"],
    [counts.interviewCards, "interview practice card", "their review schedule"],
  ] as const;
  return (
    <Card
      id="reset-heading"
      title="Reset progress"
      intro="Starts their learning record over, for example after a test run or at the student's request."
    >
      <Problem state={state} />
      <ConfirmAction summary="Reset progress…" intent="reset" confirm={`Delete ${name}'s progress`}>
        <p>This permanently deletes:</p>
        <ul className="list-disc space-y-1 pl-5">
          {items.map(([count, label, detail]) => (
            <li key={label}>
              {count} {count === 1 ? label : `${label}s`} ({detail})
            </li>
          ))}
        </ul>
        <p>
          It keeps their private notes, project submissions and reviews, certificate, enrolments and discussion posts.
        </p>
      </ConfirmAction>
    </Card>
  );
}
