import { Link } from "@remix-run/react";
import { formatWhen } from "~/components/project-submission-card";
import type { DiffHunk } from "~/lib/line-diff";

export type VersionListItem = {
  id: number;
  number: number;
  title: string;
  note: string;
  createdAt: Date | string;
  authorName: string | null;
  authorEmail: string | null;
};

export function versionAuthor(version: { authorName: string | null; authorEmail: string | null }) {
  // No author: written before the admin existed (the seed), or by an account since deleted.
  return version.authorName ?? version.authorEmail ?? "unknown author";
}

/** Every version, newest first; the chosen one is marked as the current page. */
export function VersionList({
  versions,
  chosenId,
  lectureId,
}: {
  versions: VersionListItem[];
  chosenId: number | null;
  lectureId: number;
}) {
  return (
    <ol className="divide-y divide-line overflow-hidden rounded-2xl border border-line bg-surface">
      {versions.map((version) => {
        const chosen = version.id === chosenId;
        return (
          <li key={version.id}>
            <Link
              to={`/admin/lectures/${lectureId}/history?version=${version.id}`}
              aria-current={chosen ? "page" : undefined}
              className={`block px-4 py-3 text-sm hover:bg-surface-2 ${chosen ? "bg-surface-2" : ""}`}
            >
              <span className="flex items-baseline justify-between gap-3">
                <span className="font-semibold">Version {version.number}</span>
                <span className="text-xs text-muted">{formatWhen(version.createdAt)}</span>
              </span>
              <span className="mt-0.5 block">{version.note}</span>
              <span className="block text-xs text-muted">by {versionAuthor(version)}</span>
            </Link>
          </li>
        );
      })}
    </ol>
  );
}

export type FieldChange = { label: string; before: string; after: string };

/** The fields other than the body that differ between two versions. */
export function FieldChanges({ changes }: { changes: FieldChange[] }) {
  if (changes.length === 0) return null;
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-left text-sm">
        <caption className="sr-only">Changed fields</caption>
        <thead className="text-muted">
          <tr>
            <th scope="col" className="py-1.5 pr-4 font-medium">
              Field
            </th>
            <th scope="col" className="py-1.5 pr-4 font-medium">
              Before
            </th>
            <th scope="col" className="py-1.5 font-medium">
              After
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-line">
          {changes.map((change) => (
            <tr key={change.label}>
              <th scope="row" className="py-1.5 pr-4 font-medium">
                {change.label}
              </th>
              <td className="py-1.5 pr-4">
                <del className="decoration-red-600">{change.before}</del>
              </td>
              <td className="py-1.5">
                <ins className="no-underline">{change.after}</ins>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const LINE_STYLE = {
  same: { marker: " ", label: "", className: "text-muted" },
  added: {
    marker: "+",
    label: "Added: ",
    className: "bg-emerald-100 text-emerald-950 dark:bg-emerald-950 dark:text-emerald-100",
  },
  removed: { marker: "−", label: "Removed: ", className: "bg-red-100 text-red-950 dark:bg-red-950 dark:text-red-100" },
} as const;

/**
 * The body's changed lines with a little context. Each line says in words (for screen
 * readers) and by its marker whether it was added or removed; colour only repeats that.
 */
export function BodyDiff({ hunks }: { hunks: DiffHunk[] }) {
  if (hunks.length === 0) return <p className="text-sm text-muted">The body is unchanged.</p>;
  return (
    <div className="space-y-3">
      {hunks.map((hunk, index) => (
        <div key={index}>
          {hunk.skippedBefore > 0 ? (
            <p className="mb-1 text-xs text-muted">
              … {hunk.skippedBefore} unchanged {hunk.skippedBefore === 1 ? "line" : "lines"}
            </p>
          ) : null}
          <pre className="rounded-lg border border-line bg-canvas py-2 font-mono text-xs">
            {hunk.lines.map((line, lineIndex) => {
              const style = LINE_STYLE[line.kind];
              return (
                <div key={lineIndex} className={`px-3 break-words whitespace-pre-wrap ${style.className}`}>
                  <span aria-hidden="true" className="mr-2 inline-block w-3 select-none">
                    {style.marker}
                  </span>
                  {style.label ? <span className="sr-only">{style.label}</span> : null}
                  {line.text || " "}
                </div>
              );
            })}
          </pre>
        </div>
      ))}
    </div>
  );
}
