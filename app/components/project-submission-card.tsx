import type { ReactNode } from "react";
import type { SubmissionStatus } from "../../db/schema.ts";
import { ProjectStatusBadge } from "~/components/project-status-badge";

const dateTime = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

/** "3 Mar 2026, 10:41 UTC": one zone for students and reviewers, so they can talk about the same time. */
export function formatWhen(value: Date | string | number): string {
  return `${dateTime.format(new Date(value))} UTC`;
}

export function formatFileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

export type SubmissionView = {
  id: string;
  status: SubmissionStatus;
  repoUrl: string;
  notesHtml?: string;
  hasFile: boolean;
  fileName?: string | null;
  fileSize?: number | null;
  feedbackHtml: string | null;
  createdAt: Date | string;
  reviewedAt: Date | string | null;
};

/** The attachment as a download link; the route checks who may fetch it. */
export function ProjectFileLink({
  submissionId,
  name,
  size,
}: {
  submissionId: string;
  name?: string | null;
  size?: number | null;
}) {
  return (
    <a
      href={`/submissions/${submissionId}/file`}
      download
      className="inline-flex items-center gap-2 rounded-lg border border-line px-3 py-1.5 text-sm font-medium break-all hover:bg-surface-2"
    >
      <span>{name ?? "Attached file"}</span>
      {size ? <span className="text-xs font-normal text-muted">{formatFileSize(size)}</span> : null}
    </a>
  );
}

/** One submission: what was handed in and, once reviewed, the reviewer's feedback. */
export function ProjectSubmissionCard({
  submission,
  title,
  reviewer,
}: {
  submission: SubmissionView;
  title: ReactNode;
  /** Who reviewed it, when the reader may know (the admin screens). */
  reviewer?: string | null;
}) {
  const headingId = `submission-${submission.id}`;
  return (
    <article aria-labelledby={headingId} className="rounded-2xl border border-line bg-surface p-5">
      <header className="flex flex-wrap items-center justify-between gap-2">
        <h3 id={headingId} className="font-semibold">
          {title}
        </h3>
        <ProjectStatusBadge status={submission.status} />
      </header>
      <p className="mt-1 text-sm text-muted">Submitted {formatWhen(submission.createdAt)}</p>
      <dl className="mt-4 space-y-3 text-sm">
        <div>
          <dt className="font-medium">Repository</dt>
          <dd className="mt-0.5 break-all">
            <a
              href={submission.repoUrl}
              rel="noopener noreferrer nofollow ugc"
              className="text-accent-strong underline"
            >
              {submission.repoUrl}
            </a>
          </dd>
        </div>
        {submission.hasFile ? (
          <div>
            <dt className="font-medium">Attached file</dt>
            <dd className="mt-1">
              <ProjectFileLink submissionId={submission.id} name={submission.fileName} size={submission.fileSize} />
            </dd>
          </div>
        ) : null}
      </dl>
      {submission.notesHtml ? (
        <details className="mt-4 rounded-lg border border-line px-4 py-2">
          <summary className="cursor-pointer text-sm font-medium">Notes</summary>
          <div className="prose mt-2 max-w-none text-sm" dangerouslySetInnerHTML={{ __html: submission.notesHtml }} />
        </details>
      ) : null}
      {submission.reviewedAt ? (
        <section aria-label="Reviewer's feedback" className="mt-4 rounded-xl border border-line bg-surface-2 px-4 py-3">
          <h4 className="text-sm font-semibold">
            Reviewer's feedback
            <span className="font-normal text-muted">
              {" "}
              · {reviewer ? `${reviewer}, ` : ""}
              {formatWhen(submission.reviewedAt)}
            </span>
          </h4>
          {submission.feedbackHtml ? (
            <div
              className="prose mt-2 max-w-none text-sm"
              dangerouslySetInnerHTML={{ __html: submission.feedbackHtml }}
            />
          ) : (
            <p className="mt-2 text-sm text-muted">Approved without further comments.</p>
          )}
        </section>
      ) : null}
    </article>
  );
}
