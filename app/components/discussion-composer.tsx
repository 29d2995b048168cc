import { Form } from "@remix-run/react";
import { DISCUSSION_BODY_MAX } from "../../db/queries/discussion-limits.ts";
import { Alert } from "~/components/form";

type ComposerProps = {
  /** Unique on the page: ties the label, hint and error to this textarea. */
  id: string;
  intent: "post" | "reply" | "edit";
  label: string;
  submitLabel: string;
  /** Hidden fields: parentId, postId, quotedPostId. */
  hidden?: Record<string, number | undefined>;
  defaultValue?: string;
  error?: string;
  formError?: string;
};

/** A markdown textarea form for new posts, replies and edits; a plain POST, so it works without JavaScript. */
export function DiscussionComposer({
  id,
  intent,
  label,
  submitLabel,
  hidden = {},
  defaultValue,
  error,
  formError,
}: ComposerProps) {
  const describedBy = [`${id}-hint`, error ? `${id}-error` : null].filter(Boolean).join(" ");
  return (
    <Form method="post" preventScrollReset className="space-y-2">
      <input type="hidden" name="intent" value={intent} />
      {Object.entries(hidden).map(([name, value]) =>
        value === undefined ? null : <input key={name} type="hidden" name={name} value={value} />,
      )}
      {formError ? <Alert tone="error">{formError}</Alert> : null}
      <label htmlFor={id} className="block text-sm font-medium">
        {label}
      </label>
      <textarea
        id={id}
        name="body"
        rows={intent === "post" ? 5 : 4}
        defaultValue={defaultValue}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
        className="block w-full rounded-lg border border-line bg-surface px-3 py-2 font-mono text-sm aria-invalid:border-red-600 dark:aria-invalid:border-red-400"
      />
      <p id={`${id}-hint`} className="text-xs text-muted">
        Markdown works: **bold**, `code`, fenced code blocks, lists and links. Up to{" "}
        {DISCUSSION_BODY_MAX.toLocaleString("en")} characters.
      </p>
      {error ? (
        <p id={`${id}-error`} className="text-sm text-red-700 dark:text-red-400">
          {error}
        </p>
      ) : null}
      <button
        type="submit"
        className="rounded-lg bg-accent px-4 py-2 text-sm font-semibold text-on-accent hover:bg-accent-strong"
      >
        {submitLabel}
      </button>
    </Form>
  );
}

/** Markdown that quotes `text` as a blockquote, followed by room to answer. */
export function quoteMarkdown(text: string): string {
  return `${text
    .trim()
    .split("\n")
    .map((line) => (line ? `> ${line}` : ">"))
    .join("\n")}\n\n`;
}
