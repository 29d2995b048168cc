import type { SubmissionStatus } from "../../db/schema.ts";

const BADGES: Record<SubmissionStatus | "none", { label: string; className: string }> = {
  none: { label: "Not submitted", className: "bg-surface-2 text-muted" },
  submitted: {
    label: "Submitted",
    className: "bg-sky-100 text-sky-900 dark:bg-sky-950 dark:text-sky-200",
  },
  changes_requested: {
    label: "Changes requested",
    className: "bg-amber-100 text-amber-900 dark:bg-amber-950 dark:text-amber-200",
  },
  approved: {
    label: "Approved",
    className: "bg-emerald-100 text-emerald-900 dark:bg-emerald-950 dark:text-emerald-200",
  },
};

/** A submission's review state, in words (colour only repeats what the label says). */
export function ProjectStatusBadge({ status }: { status: SubmissionStatus | "none" }) {
  const badge = BADGES[status];
  return (
    <span
      className={`inline-block rounded-full px-2.5 py-0.5 text-xs font-semibold whitespace-nowrap ${badge.className}`}
    >
      {badge.label}
    </span>
  );
}
