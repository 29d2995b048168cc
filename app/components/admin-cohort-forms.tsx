import { Form } from "@remix-run/react";
import { INPUT_CLASS } from "~/components/field-parts";
import { Alert, Field, SubmitButton } from "~/components/form";
import type { FormState } from "~/lib/forms";

// The three actions on a cohort's admin page. Plain posts with an `intent`, so each works
// without JavaScript; only the form that was sent gets its state (typed values, errors) back.

const CARD = "space-y-4 rounded-2xl border border-line bg-surface p-5 sm:p-6";

function FieldError({ id, error }: { id: string; error?: string }) {
  return error ? (
    <p id={id} className="mt-1 text-sm text-red-700 dark:text-red-400">
      {error}
    </p>
  ) : null;
}

function FormHeading({ id, title, children }: { id: string; title: string; children: string }) {
  return (
    <div>
      <h3 id={id} className="text-lg font-semibold">
        {title}
      </h3>
      <p className="mt-1 text-sm text-muted">{children}</p>
    </div>
  );
}

function FormAlert({ state }: { state?: FormState }) {
  return state?.formError ? <Alert tone="error">{state.formError}</Alert> : null;
}

export function ShiftDatesForm({ state }: { state?: FormState }) {
  const error = state?.errors.days;
  return (
    <Form method="post" className={CARD} aria-labelledby="shift-heading">
      <FormHeading id="shift-heading" title="Shift dates">
        Moves the start, the end, the enrolment window and every module release by whole days. Use a negative number to
        move earlier.
      </FormHeading>
      <FormAlert state={state} />
      <input type="hidden" name="intent" value="shift" />
      <div>
        <label htmlFor="shift-days" className="block text-sm font-medium">
          Days
        </label>
        <input
          id="shift-days"
          name="days"
          type="number"
          inputMode="numeric"
          step={1}
          min={-365}
          max={365}
          required
          defaultValue={state?.fields.days}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? "shift-days-hint shift-days-error" : "shift-days-hint"}
          className={`${INPUT_CLASS} sm:w-40`}
        />
        <p id="shift-days-hint" className="mt-1 text-xs text-muted">
          From -365 to 365, for example 7 or -3.
        </p>
        <FieldError id="shift-days-error" error={error} />
      </div>
      <div className="sm:w-48">
        <SubmitButton pending="Shifting…">Shift dates</SubmitButton>
      </div>
    </Form>
  );
}

export function EnrolStudentForm({ state }: { state?: FormState }) {
  return (
    <Form method="post" className={CARD} aria-labelledby="enrol-heading">
      <FormHeading id="enrol-heading" title="Enrol a student">
        Gives an existing account an active seat, even after enrolment has closed. The cohort's capacity still holds.
      </FormHeading>
      <FormAlert state={state} />
      <input type="hidden" name="intent" value="enrol" />
      <Field label="Student's email" name="email" id="enrol-email" type="email" autoComplete="off" state={state} />
      <div className="sm:w-48">
        <SubmitButton pending="Enrolling…">Enrol student</SubmitButton>
      </div>
    </Form>
  );
}

export function ReleaseEarlyForm({
  state,
  modules,
}: {
  state?: FormState;
  modules: Array<{ slug: string; title: string }>;
}) {
  const moduleError = state?.errors.module;
  return (
    <Form method="post" className={CARD} aria-labelledby="release-heading">
      <FormHeading id="release-heading" title="Release a module early for a student">
        Opens the module now for one student of this cohort; everyone else keeps the cohort's schedule.
      </FormHeading>
      <FormAlert state={state} />
      <input type="hidden" name="intent" value="release" />
      <Field label="Student's email" name="email" id="release-email" type="email" autoComplete="off" state={state} />
      <div>
        <label htmlFor="release-module" className="block text-sm font-medium">
          Module
        </label>
        <select
          id="release-module"
          name="module"
          defaultValue={state?.fields.module ?? ""}
          aria-invalid={moduleError ? true : undefined}
          aria-describedby={moduleError ? "release-module-error" : undefined}
          className={INPUT_CLASS}
        >
          <option value="" disabled>
            Choose a module
          </option>
          {modules.map((module) => (
            <option key={module.slug} value={module.slug}>
              {module.title}
            </option>
          ))}
        </select>
        <FieldError id="release-module-error" error={moduleError} />
      </div>
      <div className="sm:w-48">
        <SubmitButton pending="Releasing…">Release now</SubmitButton>
      </div>
    </Form>
  );
}
