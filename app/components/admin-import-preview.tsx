import { Form, Link } from "@remix-run/react";
import { Alert, SubmitButton } from "~/components/form";

// Step two of an import: the dry run's plan, and the button that writes exactly that plan.

export type PreviewAction = "create" | "update" | "skip";

export type PreviewRow = {
  origin: string;
  title: string;
  action: PreviewAction;
  reason: string;
  warning: string | null;
  moduleTitle: string | null;
  slug: string | null;
  lectureId: number | null;
};

export type PreviewData = {
  /** The staged source (server-generated), and the plan's fingerprint: applying checks both. */
  importId: string;
  fingerprint: string;
  kind: "feed" | "zip";
  label: string;
  counts: Record<PreviewAction, number>;
  rows: PreviewRow[];
  /** Why the plan is shown again, when applying found it had changed. */
  notice: string | null;
};

const BADGES: Record<PreviewAction, { label: string; className: string }> = {
  create: {
    label: "Create",
    className: "bg-emerald-100 text-emerald-900 dark:bg-emerald-950 dark:text-emerald-200",
  },
  update: { label: "Update", className: "bg-sky-100 text-sky-900 dark:bg-sky-950 dark:text-sky-200" },
  skip: { label: "Skip", className: "bg-surface-2 text-muted" },
};

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? "" : "s"}`;

export function ImportPreview({ preview }: { preview: PreviewData }) {
  const { counts } = preview;
  const writes = counts.create + counts.update;
  return (
    <section aria-labelledby="import-preview-heading" className="mt-8">
      <h2 id="import-preview-heading" className="text-xl font-semibold">
        Preview
      </h2>
      <div aria-live="polite" className="mt-3 space-y-3">
        {preview.notice ? <Alert tone="error">{preview.notice}</Alert> : null}
        <p>
          {`From ${preview.label}: `}
          <strong>{`${counts.create} to create`}</strong>
          {", "}
          <strong>{`${counts.update} to update`}</strong>
          {", "}
          <strong>{`${counts.skip} to skip`}</strong>
          {preview.kind === "feed" ? ". New lectures are drafts: students see them once you publish them." : "."}
        </p>
      </div>

      <div className="mt-4 overflow-x-auto rounded-2xl border border-line bg-surface">
        <table className="w-full text-left text-sm">
          <caption className="sr-only">What the import would do with each item of the source</caption>
          <thead className="border-b border-line text-muted">
            <tr>
              <th scope="col" className="px-4 py-3 font-medium">
                Action
              </th>
              <th scope="col" className="px-4 py-3 font-medium">
                Lecture
              </th>
              <th scope="col" className="px-4 py-3 font-medium">
                Module
              </th>
              <th scope="col" className="px-4 py-3 font-medium">
                Details
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-line">
            {preview.rows.map((row, index) => (
              <tr key={`${row.origin}-${index}`} className="align-top">
                <td className="px-4 py-3">
                  <span
                    className={`inline-block rounded-full px-2.5 py-0.5 text-xs font-semibold ${BADGES[row.action].className}`}
                  >
                    {BADGES[row.action].label}
                  </span>
                </td>
                <th scope="row" className="px-4 py-3 font-medium">
                  {row.title || <span className="text-muted">(no title)</span>}
                  <span className="block text-xs font-normal text-muted">
                    {row.origin}
                    {row.slug ? ` · ${row.slug}` : null}
                  </span>
                </th>
                <td className="px-4 py-3">{row.moduleTitle ?? <span className="text-muted">—</span>}</td>
                <td className="px-4 py-3">
                  {row.reason}
                  {row.warning ? (
                    <span className="mt-1 block rounded-lg bg-amber-50 px-2 py-1 text-amber-900 dark:bg-amber-950 dark:text-amber-100">
                      {row.warning}
                    </span>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <div className="mt-6 flex flex-wrap items-center gap-4">
        {writes > 0 ? (
          <Form method="post" className="sm:w-64">
            <input type="hidden" name="intent" value="apply" />
            <input type="hidden" name="importId" value={preview.importId} />
            <input type="hidden" name="fingerprint" value={preview.fingerprint} />
            <SubmitButton pending="Importing…">{`Import ${plural(writes, "lecture")}`}</SubmitButton>
          </Form>
        ) : (
          <Alert tone="info">Nothing to import: every item is unchanged or skipped.</Alert>
        )}
        <Link to="/admin/import" className="text-sm text-accent-strong underline underline-offset-2 hover:no-underline">
          Start over with another source
        </Link>
      </div>
    </section>
  );
}
