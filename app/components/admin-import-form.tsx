import { Form } from "@remix-run/react";
import type { ReactNode } from "react";
import {
  FEED_ITEM_MAX_BYTES,
  FEED_MAX_BYTES,
  FEED_MAX_ITEMS,
  ZIP_FILE_MAX_BYTES,
  ZIP_MAX_BYTES,
  ZIP_MAX_ENTRIES,
  ZIP_MAX_UNCOMPRESSED_BYTES,
  kilobytes,
  megabytes,
} from "../../db/import/limits.ts";
import { Alert, SubmitButton } from "~/components/form";
import type { FormState } from "~/lib/forms";

// Step one of an import: where the lectures come from. A multipart post, so it works
// without JavaScript; every source's field is always there, the radio says which one counts.

const INPUT_CLASS =
  "mt-1.5 block w-full rounded-lg border border-line bg-surface px-3 py-2 aria-invalid:border-red-600 dark:aria-invalid:border-red-400";

type Source = "url" | "file" | "zip";

const SOURCES: Array<{ value: Source; label: string; field: string }> = [
  { value: "url", label: "RSS or Atom address", field: "url" },
  { value: "file", label: "RSS or Atom file", field: "feedFile" },
  { value: "zip", label: "Zip of markdown files", field: "zipFile" },
];

function FieldMessages({ id, hint, error }: { id: string; hint: ReactNode; error?: string }) {
  return (
    <>
      <p id={`${id}-hint`} className="mt-1 text-xs text-muted">
        {hint}
      </p>
      {error ? (
        <p id={`${id}-error`} className="mt-1 text-sm text-red-700 dark:text-red-400">
          {error}
        </p>
      ) : null}
    </>
  );
}

const describedBy = (id: string, error?: string) => (error ? `${id}-hint ${id}-error` : `${id}-hint`);

export function ImportSourceForm({
  modules,
  state,
}: {
  modules: Array<{ slug: string; title: string }>;
  state?: FormState;
}) {
  const errors = state?.errors ?? {};
  const chosen = (state?.fields.source as Source | undefined) ?? "url";
  return (
    <Form
      method="post"
      encType="multipart/form-data"
      aria-labelledby="import-source-heading"
      className="mt-8 space-y-6 rounded-2xl border border-line bg-surface p-5 sm:p-6"
    >
      <div>
        <h2 id="import-source-heading" className="text-xl font-semibold">
          Choose a source
        </h2>
        <p className="mt-1 text-sm text-muted">Nothing is written until you have seen the preview and confirmed it.</p>
      </div>
      {state?.formError ? <Alert tone="error">{state.formError}</Alert> : null}
      <input type="hidden" name="intent" value="preview" />

      <fieldset aria-describedby={errors.source ? "import-source-error" : undefined}>
        <legend className="text-sm font-medium">Source</legend>
        <div className="mt-2 flex flex-wrap gap-x-6 gap-y-2">
          {SOURCES.map((source) => (
            <label key={source.value} className="flex items-center gap-2 text-sm">
              <input
                type="radio"
                name="source"
                value={source.value}
                defaultChecked={chosen === source.value}
                className="size-4 accent-accent"
              />
              {source.label}
            </label>
          ))}
        </div>
        {errors.source ? (
          <p id="import-source-error" className="mt-1 text-sm text-red-700 dark:text-red-400">
            {errors.source}
          </p>
        ) : null}
      </fieldset>

      <div className="grid gap-6 md:grid-cols-3">
        <div>
          <label htmlFor="import-url" className="block text-sm font-medium">
            Feed address (URL)
          </label>
          <input
            id="import-url"
            name="url"
            type="url"
            inputMode="url"
            placeholder="https://"
            defaultValue={state?.fields.url}
            aria-invalid={errors.url ? true : undefined}
            aria-describedby={describedBy("import-url", errors.url)}
            className={INPUT_CLASS}
          />
          <FieldMessages
            id="import-url"
            hint={`Fetched once, for the preview; up to ${megabytes(FEED_MAX_BYTES)}.`}
            error={errors.url}
          />
        </div>
        <div>
          <label htmlFor="import-feed-file" className="block text-sm font-medium">
            Feed file (.xml)
          </label>
          <input
            id="import-feed-file"
            name="feedFile"
            type="file"
            accept=".xml,.rss,.atom,application/rss+xml,application/atom+xml,application/xml,text/xml"
            aria-invalid={errors.feedFile ? true : undefined}
            aria-describedby={describedBy("import-feed-file", errors.feedFile)}
            className={`${INPUT_CLASS} text-sm`}
          />
          <FieldMessages
            id="import-feed-file"
            hint={`Up to ${megabytes(FEED_MAX_BYTES)} and ${FEED_MAX_ITEMS} items of up to ${kilobytes(FEED_ITEM_MAX_BYTES)} each.`}
            error={errors.feedFile}
          />
        </div>
        <div>
          <label htmlFor="import-zip-file" className="block text-sm font-medium">
            Zip file (.zip)
          </label>
          <input
            id="import-zip-file"
            name="zipFile"
            type="file"
            accept=".zip,application/zip"
            aria-invalid={errors.zipFile ? true : undefined}
            aria-describedby={describedBy("import-zip-file", errors.zipFile)}
            className={`${INPUT_CLASS} text-sm`}
          />
          <FieldMessages
            id="import-zip-file"
            hint={
              <>
                Markdown files whose front matter gives <code>title</code>, <code>slug</code>, <code>module</code> and{" "}
                <code>position</code> (optional: <code>summary</code>, <code>duration</code>, <code>preview</code>,{" "}
                <code>published</code>, <code>id</code>). Up to {megabytes(ZIP_MAX_BYTES)}, {ZIP_MAX_ENTRIES} files of
                up to {kilobytes(ZIP_FILE_MAX_BYTES)}, {megabytes(ZIP_MAX_UNCOMPRESSED_BYTES)} unpacked.
              </>
            }
            error={errors.zipFile}
          />
        </div>
      </div>

      <div className="md:w-1/2">
        <label htmlFor="import-module" className="block text-sm font-medium">
          Module
        </label>
        <select
          id="import-module"
          name="module"
          defaultValue={state?.fields.module ?? ""}
          aria-invalid={errors.module ? true : undefined}
          aria-describedby={describedBy("import-module", errors.module)}
          className={INPUT_CLASS}
        >
          <option value="">Choose a module</option>
          {modules.map((module) => (
            <option key={module.slug} value={module.slug}>
              {module.title}
            </option>
          ))}
        </select>
        <FieldMessages
          id="import-module"
          hint="Feed items become draft lectures in this module. A zip names each lecture's module in its front matter."
          error={errors.module}
        />
      </div>

      <div className="sm:w-56">
        <SubmitButton pending="Reading the source…">Preview import</SubmitButton>
      </div>
    </Form>
  );
}
