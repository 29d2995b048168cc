import type { QuizQuestionView } from "../../db/queries/quizzes.ts";

/** The form field names a question's answer travels in: checkboxes under `m-`, the rest under `q-`. */
export function answerFieldName(question: Pick<QuizQuestionView, "id" | "kind">) {
  return `${question.kind === "multiple" ? "m" : "q"}-${question.id}`;
}

const HINTS = {
  single: "Choose one answer.",
  multiple: "Select every correct answer.",
  short: "Type a short answer, such as a command or a number. Case and extra spaces do not matter.",
} as const;

/**
 * One question of the quiz form as a fieldset: the legend is the question, the inputs
 * are radios, checkboxes or a text box. `value` is what was sent last time (a failed
 * submission keeps every answer); `error` is announced and tied to the inputs.
 */
export function QuizQuestionField({
  question,
  number,
  total,
  value,
  error,
}: {
  question: QuizQuestionView;
  number: number;
  total: number;
  value: string[];
  error?: string;
}) {
  const id = `question-${question.id}`;
  const name = answerFieldName(question);
  const describedBy = [`${id}-hint`, error ? `${id}-error` : null].filter(Boolean).join(" ");

  return (
    <fieldset
      id={id}
      aria-describedby={describedBy}
      className={`rounded-2xl border bg-surface p-5 sm:p-6 ${error ? "border-red-600 dark:border-red-400" : "border-line"}`}
    >
      <legend className="float-left w-full">
        <span className="block font-mono text-xs font-semibold text-accent-strong">
          Question {number} of {total}
        </span>
        <span
          className="prose mt-1 block text-lg font-semibold"
          dangerouslySetInnerHTML={{ __html: question.promptHtml }}
        />
      </legend>
      <div className="clear-both pt-2">
        <p id={`${id}-hint`} className="text-sm text-muted">
          {HINTS[question.kind]}
        </p>
        {error ? (
          <p id={`${id}-error`} className="mt-1 text-sm font-medium text-red-700 dark:text-red-400">
            {error}
          </p>
        ) : null}
        {question.kind === "short" ? (
          <div className="mt-3">
            <label htmlFor={`${id}-answer`} className="block text-sm font-medium">
              Your answer
            </label>
            <input
              id={`${id}-answer`}
              name={name}
              type="text"
              defaultValue={value[0] ?? ""}
              autoComplete="off"
              autoCapitalize="none"
              spellCheck={false}
              maxLength={200}
              aria-invalid={error ? true : undefined}
              className="mt-1.5 block w-full max-w-md rounded-lg border border-line bg-canvas px-3 py-2 font-mono text-sm aria-invalid:border-red-600 dark:aria-invalid:border-red-400"
            />
          </div>
        ) : (
          <ul className="mt-3 space-y-2">
            {question.options.map((option) => (
              <li key={option.id}>
                {/* eslint-disable-next-line jsx-a11y/label-has-associated-control -- its text is the option's HTML below */}
                <label className="flex cursor-pointer items-start gap-3 rounded-lg border border-line px-3 py-2.5 hover:bg-surface-2 has-checked:border-accent has-checked:bg-accent-soft">
                  <input
                    type={question.kind === "multiple" ? "checkbox" : "radio"}
                    name={name}
                    value={option.id}
                    defaultChecked={value.includes(option.id)}
                    aria-invalid={error ? true : undefined}
                    className="mt-1.5 size-4 shrink-0 accent-accent"
                  />
                  <span className="prose min-w-0" dangerouslySetInnerHTML={{ __html: option.html }} />
                </label>
              </li>
            ))}
          </ul>
        )}
      </div>
    </fieldset>
  );
}
