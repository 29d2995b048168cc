import { DataTable } from "~/components/data-table";

// One student's progress in each published module, as the admin's student page shows it.

export type ModuleProgress = {
  slug: string;
  title: string;
  lecturesTotal: number;
  lecturesDone: number;
  hasQuiz: boolean;
  quizAttempts: number;
  quizBest: number | null;
  quizPassed: boolean;
  projectTitle: string | null;
  projectStatus: string | null;
};

const CELL = "px-4 py-3 align-top";
const HEADINGS = ["Module", "Lectures completed", "Quiz", "Project"];

const PROJECT_WORDS: Record<string, string> = {
  submitted: "Awaiting review",
  changes_requested: "Changes requested",
  approved: "Approved",
};

function Quiz({ module }: { module: ModuleProgress }) {
  if (!module.hasQuiz) return <span className="text-muted">No quiz</span>;
  if (module.quizAttempts === 0) return <span className="text-muted">Not attempted</span>;
  return (
    <>
      <span className="font-medium">{module.quizPassed ? "Passed" : "Not passed yet"}</span>
      <span className="block text-xs text-muted">
        Best {module.quizBest ?? 0}% · {module.quizAttempts} {module.quizAttempts === 1 ? "attempt" : "attempts"}
      </span>
    </>
  );
}

function Project({ module }: { module: ModuleProgress }) {
  if (!module.projectTitle) return <span className="text-muted">No project</span>;
  return (
    <>
      <span className="font-medium">
        {module.projectStatus ? (PROJECT_WORDS[module.projectStatus] ?? module.projectStatus) : "Not submitted"}
      </span>
      <span className="block text-xs text-muted">{module.projectTitle}</span>
    </>
  );
}

export function AdminStudentProgress({ modules }: { modules: ModuleProgress[] }) {
  if (modules.length === 0) return <p className="text-muted">No module is published yet.</p>;
  return (
    <DataTable headings={HEADINGS}>
      {modules.map((module) => (
        <tr key={module.slug}>
          <th scope="row" className={`${CELL} font-medium`}>
            {module.title}
          </th>
          <td className={`${CELL} whitespace-nowrap`}>
            {module.lecturesDone} of {module.lecturesTotal}
          </td>
          <td className={CELL}>
            <Quiz module={module} />
          </td>
          <td className={CELL}>
            <Project module={module} />
          </td>
        </tr>
      ))}
    </DataTable>
  );
}
