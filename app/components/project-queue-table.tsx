import { Link } from "@remix-run/react";
import type { SubmissionStatus } from "../../db/schema.ts";
import { ProjectStatusBadge } from "~/components/project-status-badge";
import { formatWhen } from "~/components/project-submission-card";

export type QueueRow = {
  id: string;
  status: SubmissionStatus;
  createdAt: Date | string;
  reviewedAt: Date | string | null;
  studentName: string;
  studentEmail: string;
  projectTitle: string;
  moduleTitle: string;
  attempt: number;
};

const TH = "px-4 py-3 font-medium";

/** Submissions as a table for reviewers; each row opens the submission. */
export function ProjectQueueTable({
  entries,
  caption,
  reviewed = false,
}: {
  entries: QueueRow[];
  caption: string;
  /** Show when each was reviewed instead of how long it has waited. */
  reviewed?: boolean;
}) {
  return (
    <div className="overflow-x-auto rounded-2xl border border-line bg-surface">
      <table className="w-full text-left text-sm">
        <caption className="sr-only">{caption}</caption>
        <thead className="border-b border-line text-muted">
          <tr>
            <th scope="col" className={TH}>
              Student
            </th>
            <th scope="col" className={TH}>
              Project
            </th>
            <th scope="col" className={TH}>
              Submitted
            </th>
            {reviewed ? (
              <th scope="col" className={TH}>
                Reviewed
              </th>
            ) : null}
            <th scope="col" className={TH}>
              Status
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-line">
          {entries.map((entry) => (
            <tr key={entry.id} className="hover:bg-surface-2">
              <td className="px-4 py-3">
                <Link to={`/admin/projects/${entry.id}`} className="font-medium text-accent-strong underline">
                  {entry.studentName}
                </Link>
                <span className="block text-xs text-muted">{entry.studentEmail}</span>
              </td>
              <td className="px-4 py-3">
                <span className="font-medium">{entry.projectTitle}</span>
                <span className="block text-xs text-muted">
                  {entry.moduleTitle}
                  {entry.attempt > 1 ? ` · attempt ${entry.attempt}` : ""}
                </span>
              </td>
              <td className="px-4 py-3 whitespace-nowrap">{formatWhen(entry.createdAt)}</td>
              {reviewed ? (
                <td className="px-4 py-3 whitespace-nowrap">{entry.reviewedAt ? formatWhen(entry.reviewedAt) : ""}</td>
              ) : null}
              <td className="px-4 py-3">
                <ProjectStatusBadge status={entry.status} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
