import { Link } from "@remix-run/react";
import { ConfirmAction } from "~/components/admin-confirm";
import { DataTable } from "~/components/data-table";

// Who studies in the cohort and how far each student has come, with a way to take a student
// out. Removing needs a second, explicit click inside the opened <details>, without JavaScript.

export type RosterEntry = {
  enrollmentId: string;
  userId: string;
  name: string;
  email: string;
  status: string;
  source: string;
  lecturesDone: number;
  quizzesPassed: number;
  projectsApproved: number;
};
export type RosterTotals = { lectures: number; quizzes: number; projects: number };

const CELL = "px-4 py-3 align-top";
const HEADINGS = ["Student", "Enrolment", "Lectures", "Quizzes passed", "Projects approved", "Actions"];

const percent = (done: number, total: number) => (total > 0 ? Math.round((done / total) * 100) : 0);

function RemoveStudent({ entry }: { entry: RosterEntry }) {
  return (
    <ConfirmAction
      summary="Remove…"
      intent="remove"
      fields={{ enrollment: entry.enrollmentId }}
      confirm={`Remove ${entry.name}`}
      className="w-64"
    >
      <p>
        Cancels {entry.name}'s enrolment in this cohort: the seat is freed and lectures that need an enrolment close for
        them. Their account, progress, project submissions and certificate stay; the cancelled enrolment stays listed
        here.
      </p>
    </ConfirmAction>
  );
}

export function AdminCohortRoster({ roster, totals }: { roster: RosterEntry[]; totals: RosterTotals }) {
  if (roster.length === 0) return <p className="text-muted">Nobody is enrolled in this cohort yet.</p>;
  return (
    <DataTable headings={HEADINGS}>
      {roster.map((entry) => {
        const current = entry.status === "active" || entry.status === "pending";
        return (
          <tr key={entry.enrollmentId}>
            <th scope="row" className={`${CELL} font-medium`}>
              <Link to={`/admin/students/${entry.userId}`} className="text-accent-strong underline">
                {entry.name}
              </Link>
              <span className="block font-normal break-all text-muted">{entry.email}</span>
            </th>
            <td className={`${CELL} capitalize`}>
              {entry.status}
              <span className="block text-xs text-muted normal-case">via {entry.source}</span>
            </td>
            <td className={`${CELL} whitespace-nowrap`}>
              {percent(entry.lecturesDone, totals.lectures)}%
              <span className="block text-xs text-muted">
                {entry.lecturesDone} of {totals.lectures}
              </span>
            </td>
            <td className={`${CELL} whitespace-nowrap`}>
              {entry.quizzesPassed} of {totals.quizzes}
            </td>
            <td className={`${CELL} whitespace-nowrap`}>
              {entry.projectsApproved} of {totals.projects}
            </td>
            <td className={CELL}>{current ? <RemoveStudent entry={entry} /> : null}</td>
          </tr>
        );
      })}
    </DataTable>
  );
}
