import { Form } from "@remix-run/react";
import type { ReactNode } from "react";
import { HintAndError, INPUT_CLASS, describedBy } from "~/components/field-parts";
import { Alert, SubmitButton } from "~/components/form";
import type { FormState } from "~/lib/forms";

// The cohort form, for creating one and for editing one. A plain post: it works without
// JavaScript, and a refused submission comes back with what was typed and each field's error.

type InputProps = {
  name: string;
  label: string;
  type?: "text" | "number" | "datetime-local";
  hint?: string;
  values: Record<string, string>;
  errors: Record<string, string>;
  inputMode?: "numeric" | "decimal";
  className?: string;
};

function Input({ name, label, type = "text", hint, values, errors, inputMode, className }: InputProps) {
  const id = `cohort-${name}`;
  const error = errors[name];
  return (
    <div className={className}>
      <label htmlFor={id} className="block text-sm font-medium">
        {label}
      </label>
      <input
        id={id}
        name={name}
        type={type}
        inputMode={inputMode}
        defaultValue={values[name] ?? ""}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
        className={INPUT_CLASS}
      />
      <HintAndError id={id} hint={hint} error={error} />
    </div>
  );
}

function Group({ title, children }: { title: string; children: ReactNode }) {
  return (
    <fieldset className="space-y-4 rounded-2xl border border-line bg-surface p-5 sm:p-6">
      <legend className="px-1 text-lg font-semibold">{title}</legend>
      <div className="grid gap-4 sm:grid-cols-2">{children}</div>
    </fieldset>
  );
}

export function CohortEditor({
  state,
  initial,
  submitLabel,
  pendingLabel,
  seatsTaken,
}: {
  state?: FormState;
  initial: Record<string, string>;
  submitLabel: string;
  pendingLabel: string;
  seatsTaken?: number;
}) {
  const values = state?.fields ?? initial;
  const errors = state?.errors ?? {};
  const count = Object.keys(errors).length;
  const props = { values, errors };
  return (
    <Form method="post" noValidate className="space-y-6">
      <div aria-live="polite" className="empty:hidden">
        {state?.formError ? <Alert tone="error">{state.formError}</Alert> : null}
        {!state?.formError && count > 0 ? (
          <Alert tone="error">
            {count === 1 ? "One field needs" : `${count} fields need`} your attention; nothing was saved yet.
          </Alert>
        ) : null}
      </div>
      <Group title="Cohort">
        <Input name="name" label="Name" hint="What students see, like Batch 5." {...props} />
        <Input
          name="slug"
          label="Slug"
          hint="Lowercase letters, digits and hyphens; used in links, like batch-5."
          {...props}
        />
        <Input name="courseTitle" label="Course title" {...props} className="sm:col-span-2" />
        <Input
          name="timezone"
          label="Timezone"
          hint="IANA name, like Asia/Bishkek. Every date below is a time in this zone."
          {...props}
          className="sm:col-span-2"
        />
      </Group>
      <Group title="Dates">
        <Input name="startsAt" label="Starts" type="datetime-local" {...props} />
        <Input name="endsAt" label="Ends" type="datetime-local" hint="After the start." {...props} />
        <Input name="enrollmentOpensAt" label="Enrolment opens" type="datetime-local" {...props} />
        <Input
          name="enrollmentClosesAt"
          label="Enrolment closes"
          type="datetime-local"
          hint="After it opens, and at or before the start."
          {...props}
        />
      </Group>
      <Group title="Seats and price">
        <Input
          name="capacity"
          label="Capacity"
          type="number"
          inputMode="numeric"
          hint={
            seatsTaken === undefined
              ? "Seats on offer."
              : `Seats on offer; ${seatsTaken} already taken, so at least ${Math.max(1, seatsTaken)}.`
          }
          {...props}
        />
        <div className="grid grid-cols-[1fr_7rem] gap-3">
          <Input name="price" label="Price" inputMode="decimal" hint="Per seat, like 490.00." {...props} />
          <Input name="currency" label="Currency" hint="Like USD." {...props} />
        </div>
      </Group>
      <div className="sm:w-56">
        <SubmitButton pending={pendingLabel}>{submitLabel}</SubmitButton>
      </div>
    </Form>
  );
}
