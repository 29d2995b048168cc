import { Form, useNavigation } from "@remix-run/react";
import { Alert, Field } from "~/components/form";
import { FileField, TextAreaField } from "~/components/project-fields";
import type { FormState } from "~/lib/forms";

// What the file picker offers first; the server decides from the file's bytes.
const ACCEPT =
  ".pdf,.png,.jpg,.jpeg,.webp,.zip,.txt,.md,application/pdf,image/png,image/jpeg,image/webp,application/zip,text/plain,text/markdown";

/**
 * Repository URL, notes and an optional file, as one multipart form that works without
 * JavaScript. After a failed submission it keeps what was typed.
 */
export function ProjectSubmissionForm({
  resubmission,
  state,
  chosenFile,
  previousRepoUrl,
  notesMaxLength,
  acceptedFiles,
}: {
  resubmission: boolean;
  state?: FormState;
  chosenFile?: string;
  /** A resubmission usually goes to the same repository: start from it. */
  previousRepoUrl?: string;
  notesMaxLength: number;
  acceptedFiles: string;
}) {
  const navigation = useNavigation();
  const busy = navigation.state === "submitting";
  return (
    <Form method="post" encType="multipart/form-data" noValidate className="space-y-5">
      {state?.formError ? <Alert tone="error">{state.formError}</Alert> : null}
      <Field
        label="Repository URL"
        name="repoUrl"
        type="text"
        autoComplete="url"
        hint="The https:// address of a public Git repository, like https://github.com/you/project."
        state={state}
        defaultValue={state?.fields.repoUrl ?? previousRepoUrl}
      />
      <TextAreaField
        label="Notes"
        name="notes"
        rows={10}
        maxLength={notesMaxLength}
        hint={`Markdown. What you built, how to run it, and anything the brief asks you to report (up to ${notesMaxLength.toLocaleString("en")} characters).`}
        state={state}
      />
      <FileField
        label="Attach a file (optional)"
        name="file"
        accept={ACCEPT}
        hint={`One ${acceptedFiles.replace(/^an? /, "")}: a diagram, a screenshot or a text file.`}
        error={state?.errors.file}
        chosenFile={chosenFile}
      />
      <button
        type="submit"
        disabled={busy}
        className="w-full rounded-lg bg-accent px-5 py-2.5 font-semibold text-on-accent hover:bg-accent-strong disabled:opacity-60 sm:w-auto"
      >
        {busy ? "Submitting…" : resubmission ? "Submit again for review" : "Submit for review"}
      </button>
    </Form>
  );
}
