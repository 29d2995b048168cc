import { Link } from "@remix-run/react";
import { formatWhen } from "~/components/project-submission-card";
import { DataTable } from "~/components/data-table";

export type StudentRow = {
  id: string;
  name: string;
  email: string;
  role: string;
  deactivated: boolean;
  enrollmentStatus: string | null;
  cohortName: string | null;
  lastActivity: string | null;
  createdAt: string;
};

const CELL = "px-4 py-3 align-top";
const HEADINGS = ["Account", "Role", "Enrolment", "Last activity", "Joined"];

/** Accounts as a table; each name opens the student's page. */
export function AdminStudentTable({ students }: { students: StudentRow[] }) {
  return (
    <DataTable headings={HEADINGS}>
      {students.map((student) => (
        <tr key={student.id}>
          <th scope="row" className={`${CELL} font-medium`}>
            <Link to={`/admin/students/${student.id}`} className="text-accent-strong underline">
              {student.name}
            </Link>
            <span className="block font-normal break-all text-muted">{student.email}</span>
            {student.deactivated ? (
              <span className="mt-1 inline-block rounded-full bg-surface-2 px-2 py-0.5 text-xs font-medium text-ink">
                Deactivated
              </span>
            ) : null}
          </th>
          <td className={`${CELL} capitalize`}>{student.role}</td>
          <td className={CELL}>
            {student.enrollmentStatus ? (
              <>
                <span className="capitalize">{student.enrollmentStatus}</span>
                <span className="block text-xs text-muted">{student.cohortName ?? "No cohort"}</span>
              </>
            ) : (
              <span className="text-muted">Not enrolled</span>
            )}
          </td>
          <td className={`${CELL} whitespace-nowrap`}>
            {student.lastActivity ? formatWhen(student.lastActivity) : <span className="text-muted">None yet</span>}
          </td>
          <td className={`${CELL} whitespace-nowrap`}>{formatWhen(student.createdAt)}</td>
        </tr>
      ))}
    </DataTable>
  );
}
