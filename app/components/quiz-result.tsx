import type { QuestionFeedback } from "../../db/queries/quizzes.ts";
import { CheckIcon } from "~/components/icons";

const dateFormat = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

/** "3 Mar 2026, 10:15 UTC": attempts are stored in UTC and shown the same on server and client. */
export function formatAttemptDate(value: string | Date): string {
  return `${dateFormat.format(new Date(value))} UTC`;
}

function ChosenOptions({ feedback, ids }: { feedback: QuestionFeedback; ids: string[] }) {
  const chosen = feedback.options.filter((option) => ids.includes(option.id));
  if (chosen.length === 0) return <span className="text-muted">No answer</span>;
  return (
    <ul className="mt-1 space-y-1">
      {chosen.map((option) => (
        <li key={option.id} className="prose" dangerouslySetInnerHTML={{ __html: option.html }} />
      ))}
    </ul>
  );
}

function ShortAnswers({ answers }: { answers: string[] }) {
  if (answers.length === 0 || answers[0]!.trim() === "") return <span className="text-muted">No answer</span>;
  return (
    <span className="prose">
      {answers.map((answer, index) => (
        <span key={answer}>
          {index > 0 ? " or " : null}
          <code>{answer}</code>
        </span>
      ))}
    </span>
  );
}

/** How one question of a submitted attempt went: the answer given, whether it was right, the key and why. */
export function QuizFeedbackItem({ feedback, total }: { feedback: QuestionFeedback; total: number }) {
  const headingId = `feedback-${feedback.questionId}`;
  const isShort = feedback.kind === "short";
  return (
    <li>
      <article
        aria-labelledby={headingId}
        className={`rounded-2xl border bg-surface p-5 sm:p-6 ${
          feedback.correct ? "border-emerald-300 dark:border-emerald-800" : "border-red-300 dark:border-red-800"
        }`}
      >
        <div className="flex flex-wrap items-center justify-between gap-2">
          <p className="font-mono text-xs font-semibold text-accent-strong">
            Question {feedback.position} of {total}
          </p>
          {feedback.correct ? (
            <p className="flex items-center gap-1 rounded-full bg-emerald-50 px-2.5 py-0.5 text-sm font-medium text-emerald-800 dark:bg-emerald-950 dark:text-emerald-200">
              <CheckIcon className="size-4" /> Correct
            </p>
          ) : (
            <p className="rounded-full bg-red-50 px-2.5 py-0.5 text-sm font-medium text-red-800 dark:bg-red-950 dark:text-red-200">
              <span aria-hidden="true">✕ </span>Incorrect
            </p>
          )}
        </div>
        <h3 id={headingId} className="prose mt-2 text-lg font-semibold">
          <span dangerouslySetInnerHTML={{ __html: feedback.promptHtml }} />
        </h3>
        <dl className="mt-4 grid gap-3 text-sm sm:grid-cols-2">
          <div>
            <dt className="font-medium text-muted">Your answer</dt>
            <dd className="mt-1">
              {isShort ? (
                <ShortAnswers answers={feedback.given} />
              ) : (
                <ChosenOptions feedback={feedback} ids={feedback.given} />
              )}
            </dd>
          </div>
          <div>
            <dt className="font-medium text-muted">
              {isShort && feedback.expected.length > 1
                ? "Accepted answers"
                : feedback.kind === "multiple"
                  ? "Correct answers"
                  : "Correct answer"}
            </dt>
            <dd className="mt-1">
              {isShort ? (
                <ShortAnswers answers={feedback.expected} />
              ) : (
                <ChosenOptions feedback={feedback} ids={feedback.expected} />
              )}
            </dd>
          </div>
        </dl>
        {feedback.explanationHtml ? (
          <div className="mt-4 border-t border-line pt-4">
            <h4 className="text-sm font-semibold">Why</h4>
            <div className="prose mt-1 text-sm" dangerouslySetInnerHTML={{ __html: feedback.explanationHtml }} />
          </div>
        ) : null}
      </article>
    </li>
  );
}
