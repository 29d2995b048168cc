import { Link } from "@remix-run/react";
import { formatAttemptDate } from "~/components/quiz-result";
import { DataTable } from "~/components/data-table";

type AttemptRow = {
  id: string;
  correctCount: number;
  questionCount: number;
  scorePercent: number;
  passed: boolean;
  createdAt: string | Date;
};

/** The student's attempts at one quiz, newest first, each linking to its feedback. */
export function QuizAttemptHistory({ moduleSlug, attempts }: { moduleSlug: string; attempts: AttemptRow[] }) {
  return (
    <DataTable headings={["Attempt", "Date", "Score", "Result"]} caption="Your attempts at this quiz, newest first">
      {attempts.map((attempt, index) => (
        <tr key={attempt.id}>
          <th scope="row" className="px-3 py-3 font-medium whitespace-nowrap sm:px-4">
            <Link
              to={`/modules/${moduleSlug}/quiz/attempts/${attempt.id}`}
              className="text-accent-strong underline underline-offset-2 hover:no-underline"
            >
              Attempt {attempts.length - index}
            </Link>
          </th>
          <td className="px-3 py-3 text-muted sm:px-4">{formatAttemptDate(attempt.createdAt)}</td>
          <td className="px-3 py-3 whitespace-nowrap sm:px-4">
            {attempt.scorePercent}%{" "}
            <span className="block text-xs text-muted sm:inline sm:text-sm">
              {attempt.correctCount} of {attempt.questionCount}
            </span>
          </td>
          <td className="px-3 py-3 sm:px-4">
            {attempt.passed ? (
              <span className="font-medium text-emerald-700 dark:text-emerald-400">Passed</span>
            ) : (
              <span className="text-muted">Not passed</span>
            )}
          </td>
        </tr>
      ))}
    </DataTable>
  );
}
