import { Form } from "@remix-run/react";
import { CheckboxField, ShortField } from "~/components/admin-content-fields";
import { Alert, Field, SubmitButton } from "~/components/form";
import { TextAreaField } from "~/components/project-fields";
import type { FormState } from "~/lib/forms";

export type ModuleFormValues = {
  title: string;
  slug: string;
  summary: string;
  overviewMarkdown: string;
  published: boolean;
  releaseOffsetDays: string;
  releaseTime: string;
};

export const EMPTY_MODULE: ModuleFormValues = {
  title: "",
  slug: "",
  summary: "",
  overviewMarkdown: "",
  published: false,
  releaseOffsetDays: "0",
  releaseTime: "",
};

/** A module's fields, for creating and editing. After a failed save it shows what was typed. */
export function ModuleForm({
  values,
  state,
  submitLabel,
  pendingLabel,
}: {
  values: ModuleFormValues;
  state?: FormState;
  submitLabel: string;
  pendingLabel: string;
}) {
  const text = (name: keyof ModuleFormValues) => (state ? state.fields[name] : undefined) ?? String(values[name]);
  return (
    <Form method="post" className="space-y-5 rounded-2xl border border-line bg-surface p-5 sm:p-6" aria-label="Module">
      <input type="hidden" name="intent" value="save" />
      {state?.formError ? <Alert tone="error">{state.formError}</Alert> : null}
      {state && Object.keys(state.errors).length > 0 ? (
        <Alert tone="error">Nothing was saved: correct the fields marked below.</Alert>
      ) : null}
      <Field label="Title" name="title" defaultValue={text("title")} error={state?.errors.title} />
      <Field
        label="Slug"
        name="slug"
        defaultValue={text("slug")}
        error={state?.errors.slug}
        hint="Lowercase letters, digits and hyphens. The module's address is /modules/<slug>; changing it breaks old links."
      />
      <Field
        label="Summary"
        name="summary"
        defaultValue={text("summary")}
        error={state?.errors.summary}
        hint="One sentence for the module's card."
      />
      <TextAreaField
        label="Overview (markdown)"
        name="overviewMarkdown"
        rows={10}
        defaultValue={text("overviewMarkdown")}
        error={state?.errors.overviewMarkdown}
        hint="Shown at the top of the module's page."
      />
      <CheckboxField
        label="Published"
        name="published"
        checked={values.published}
        state={state}
        hint="Unticked, it is a draft: students see neither the module nor any of its lectures."
      />
      <div className="grid gap-5 sm:grid-cols-2">
        <ShortField
          label="Release offset (days)"
          name="releaseOffsetDays"
          type="number"
          min={0}
          max={365}
          value={values.releaseOffsetDays}
          state={state}
          hint="Days after a cohort starts that it opens; 0 opens it on the first day."
        />
        <ShortField
          label="Release time"
          name="releaseTime"
          type="time"
          value={values.releaseTime}
          state={state}
          hint="24-hour local time in each cohort's timezone, like 09:00. Empty: the cohort's start time."
        />
      </div>
      <div className="sm:w-56">
        <SubmitButton pending={pendingLabel}>{submitLabel}</SubmitButton>
      </div>
    </Form>
  );
}
