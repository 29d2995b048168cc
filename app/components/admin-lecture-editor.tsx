import { Form, useNavigation } from "@remix-run/react";
import { useState } from "react";
import { CheckboxField, ShortField } from "~/components/admin-content-fields";
import { MarkdownPreview, useLivePreview } from "~/components/admin-markdown-preview";
import { UnsavedChangesPrompt, useUnsavedChangesGuard } from "~/components/admin-unsaved-changes";
import { Alert, Field } from "~/components/form";
import { TextAreaField } from "~/components/project-fields";
import type { FormState } from "~/lib/forms";

export type LectureEditorValues = {
  title: string;
  slug: string;
  summary: string;
  durationMinutes: string;
  freePreview: boolean;
  published: boolean;
  bodyMarkdown: string;
};

/**
 * The lecture form with its preview beside it. Typing updates the preview live (with
 * JavaScript); the "Preview" button renders it on the server instead, keeping the text.
 * Leaving with unsaved changes asks first.
 */
export function LectureEditor({
  values,
  state,
  previewHtml,
  moduleSlug,
  withNote,
}: {
  values: LectureEditorValues;
  state?: FormState;
  previewHtml: string;
  moduleSlug: string;
  /** Editing an existing lecture: a note for its version history. */
  withNote: boolean;
}) {
  const [dirty, setDirty] = useState(false);
  const blocker = useUnsavedChangesGuard(dirty);
  const preview = useLivePreview(previewHtml);
  const navigation = useNavigation();
  const saving = navigation.state === "submitting" && navigation.formData?.get("intent") === "save";
  const text = (name: keyof LectureEditorValues) => (state ? state.fields[name] : undefined) ?? String(values[name]);

  return (
    <>
      {/* min-w-0: a long code line in the body or preview scrolls in place instead of widening the page. */}
      <div className="grid gap-8 lg:grid-cols-2">
        <Form
          method="post"
          className="min-w-0 space-y-5"
          aria-label="Lecture"
          onChange={(event) => {
            setDirty(true);
            const field = event.target as HTMLTextAreaElement;
            if (field.name === "bodyMarkdown") preview.update(field.value);
          }}
        >
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
            hint={`Lowercase letters, digits and hyphens. The lecture's address is /modules/${moduleSlug}/<slug>.`}
          />
          <Field label="Summary" name="summary" defaultValue={text("summary")} error={state?.errors.summary} />
          <ShortField
            label="Duration (minutes)"
            name="durationMinutes"
            type="number"
            min={1}
            max={600}
            value={values.durationMinutes}
            state={state}
          />
          <CheckboxField
            label="Free preview"
            name="freePreview"
            checked={values.freePreview}
            state={state}
            hint="Anyone may read it, enrolled or not."
          />
          <CheckboxField
            label="Published"
            name="published"
            checked={values.published}
            state={state}
            hint="Unticked, it is a draft: only admins see it. Students see it once it and its module are published."
          />
          <TextAreaField
            label="Body (markdown)"
            name="bodyMarkdown"
            rows={24}
            defaultValue={text("bodyMarkdown")}
            error={state?.errors.bodyMarkdown}
            hint="GitHub-flavoured markdown. Code is highlighted and raw HTML is cleaned exactly as on the lecture page."
          />
          {withNote ? (
            <Field
              label="Change note (optional)"
              name="note"
              defaultValue={state?.fields.note ?? ""}
              error={state?.errors.note}
              hint="Shown in the version history, like “Fixed the Dockerfile example”."
            />
          ) : null}
          <div className="flex flex-wrap gap-3">
            <button
              type="submit"
              name="intent"
              value="save"
              disabled={saving}
              className="rounded-lg bg-accent px-5 py-2.5 font-semibold text-on-accent hover:bg-accent-strong disabled:opacity-60"
            >
              {saving ? "Saving…" : "Save"}
            </button>
            <button
              type="submit"
              name="intent"
              value="preview"
              className="rounded-lg border border-line px-5 py-2.5 font-medium hover:bg-surface-2"
            >
              Preview
            </button>
          </div>
        </Form>
        <div className="min-w-0 lg:sticky lg:top-4 lg:max-h-[calc(100dvh-2rem)] lg:self-start lg:overflow-y-auto">
          <MarkdownPreview html={preview.html} status={preview.status} />
        </div>
      </div>
      <UnsavedChangesPrompt blocker={blocker} />
    </>
  );
}
