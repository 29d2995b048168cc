import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/cloudflare";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import {
  getQuizForViewer,
  quizAnswersSchema,
  QuizSubmissionError,
  submitAttempt,
  type QuizAnswers,
} from "../../db/queries/quizzes.ts";
import { Breadcrumbs } from "~/components/breadcrumbs";
import { ErrorPage } from "~/components/error-page";
import { Alert, SubmitButton } from "~/components/form";
import { LockIcon } from "~/components/icons";
import { QuizAttemptHistory } from "~/components/quiz-attempt-history";
import { QuizQuestionField } from "~/components/quiz-question-field";
import { requireUser } from "~/lib/auth.server";
import { formatInZone } from "~/lib/cohort-format";
import { plural } from "~/lib/format";
import { formError, invalid, type FormState } from "~/lib/forms";
import { notFound, slugParam } from "~/lib/params";
import { pageMeta } from "~/lib/site";

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const found = await getQuizForViewer(context.services.db, slugParam(params.module), user);
  return found ?? notFound();
}

/**
 * Reads the form: radios and text boxes arrive as `q-<id>` (one value), checkboxes as
 * `m-<id>` (every ticked value). Anything else is ignored.
 */
function answersFromForm(formData: FormData): Record<string, string | string[]> {
  const answers: Record<string, string | string[]> = {};
  for (const [key, value] of formData) {
    if (typeof value !== "string") continue;
    const [, prefix, id] = /^([qm])-(\d{1,10})$/.exec(key) ?? [];
    if (!id) continue;
    if (prefix === "m") answers[id] = [...((answers[id] as string[] | undefined) ?? []), value];
    else answers[id] ??= value;
  }
  return answers;
}

/** What the form shows again after a refused submission: every answer, comma-joined for checkboxes. */
function echo(answers: Record<string, string | string[]>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(answers).map(([id, value]) => [id, Array.isArray(value) ? value.join(",") : value]),
  );
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const moduleSlug = slugParam(params.module);
  const formData = await request.formData();
  const raw = answersFromForm(formData);
  const parsed = quizAnswersSchema.safeParse(raw);
  if (!parsed.success) {
    const errors: Record<string, string> = {};
    for (const issue of parsed.error.issues) errors[String(issue.path[0] ?? "form")] ??= issue.message;
    return invalid({
      fields: echo(raw),
      errors,
      formError: "Some answers could not be read. Check the marked questions.",
    });
  }

  const answers: QuizAnswers = parsed.data;
  try {
    const attempt = await submitAttempt(context.services.db, user, moduleSlug, answers);
    return redirect(`/modules/${moduleSlug}/quiz/attempts/${attempt.id}`);
  } catch (error) {
    if (!(error instanceof QuizSubmissionError)) throw error;
    if (error.reason === "not_found") return notFound();
    if (error.reason === "locked" || error.reason === "not_released") {
      return formError(formData, error.message, [], { status: 403 });
    }
    const errors: Record<string, string> = {};
    for (const issue of error.issues) {
      if (issue.questionId !== null) errors[String(issue.questionId)] ??= sentence(issue.message);
    }
    const count = Object.keys(errors).length;
    return invalid({
      fields: echo(answers),
      errors,
      formError: `${plural(count, "question needs", "questions need")} your attention before the quiz can be graded.`,
    });
  }
}

/** "Question 3: choose one option." → "Choose one option." (the fieldset already says which question). */
function sentence(message: string) {
  const text = message.replace(/^Question \d+: /, "");
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  ...(data
    ? pageMeta(
        data.quiz.title,
        `${plural(data.quiz.questionCount, "question")} on ${data.quiz.moduleTitle}; pass mark ${data.quiz.passPercent}%.`,
      )
    : pageMeta("Quiz not found")),
  { name: "robots", content: "noindex" },
];

export default function QuizPage() {
  const { quiz, questions, attempts, locked, opening } = useLoaderData<typeof loader>();
  const actionData = useActionData<{ state?: FormState }>();
  const state = actionData?.state;
  const moduleUrl = `/modules/${quiz.moduleSlug}`;
  const best = attempts.reduce((top, attempt) => Math.max(top, attempt.scorePercent), -1);
  const everPassed = attempts.some((attempt) => attempt.passed);
  const errorEntries = Object.entries(state?.errors ?? {});

  return (
    <div className="mx-auto max-w-3xl px-4 py-10 sm:px-6">
      <Breadcrumbs
        items={[{ label: "Curriculum", to: "/modules" }, { label: quiz.moduleTitle, to: moduleUrl }, { label: "Quiz" }]}
      />
      <header className="mt-6">
        <p className="font-mono text-sm font-semibold text-accent-strong">Module quiz</p>
        <h1 className="mt-2 text-3xl font-bold tracking-tight text-balance sm:text-4xl">{quiz.title}</h1>
        <p className="mt-3 text-muted">
          {plural(quiz.questionCount, "question")} · pass mark {quiz.passPercent}% · graded as soon as you submit, and
          you can retake it as often as you like.
        </p>
        {attempts.length > 0 ? (
          <p className="mt-2 text-sm">
            Your best score: <strong>{best}%</strong>
            {everPassed ? (
              <span className="font-medium text-emerald-700 dark:text-emerald-400"> · passed</span>
            ) : (
              <span className="text-muted"> · not passed yet</span>
            )}
          </p>
        ) : null}
      </header>

      {locked ? (
        <LockedQuiz
          moduleUrl={moduleUrl}
          questionCount={quiz.questionCount}
          opening={opening}
          error={state?.formError}
        />
      ) : (
        <Form method="post" className="mt-8 space-y-6">
          {state?.formError ? (
            <Alert tone="error">
              <p className="font-medium">{state.formError}</p>
              {errorEntries.length > 0 ? (
                <ul className="mt-2 list-disc space-y-0.5 pl-5">
                  {errorEntries.map(([id, message]) => {
                    const question = questions.find((item) => String(item.id) === id);
                    return (
                      <li key={id}>
                        <a href={`#question-${id}`} className="underline">
                          {question ? `Question ${question.position}` : "Answers"}
                        </a>
                        : {message}
                      </li>
                    );
                  })}
                </ul>
              ) : null}
            </Alert>
          ) : null}
          {questions.map((question) => (
            <QuizQuestionField
              key={question.id}
              question={question}
              number={question.position}
              total={questions.length}
              value={state?.fields[String(question.id)]?.split(",").filter(Boolean) ?? []}
              error={state?.errors[String(question.id)]}
            />
          ))}
          <div className="flex flex-wrap items-center gap-4">
            <div className="w-full sm:w-auto">
              <SubmitButton pending="Grading…">Submit answers</SubmitButton>
            </div>
            <p className="text-sm text-muted">Answer every question; you will see the feedback right away.</p>
          </div>
        </Form>
      )}

      <section aria-labelledby="attempts-heading" className="mt-12">
        <h2 id="attempts-heading" className="text-xl font-semibold">
          Your attempts
        </h2>
        {attempts.length > 0 ? (
          <div className="mt-4">
            <QuizAttemptHistory moduleSlug={quiz.moduleSlug} attempts={attempts} />
          </div>
        ) : (
          <p className="mt-2 text-muted">
            {locked
              ? "Attempts you make once the quiz is open to you are listed here."
              : "None yet. Your score and feedback for every attempt are kept here."}
          </p>
        )}
      </section>

      <p className="mt-10">
        <Link to={moduleUrl} className="text-sm text-accent-strong underline underline-offset-2 hover:no-underline">
          Back to {quiz.moduleTitle}
        </Link>
      </p>
    </div>
  );
}

function LockedQuiz({
  moduleUrl,
  questionCount,
  opening,
  error,
}: {
  moduleUrl: string;
  questionCount: number;
  /** Set when the student is enrolled and the module opens later for their cohort. */
  opening: { opensAt: string; timezone: string } | null;
  error?: string;
}) {
  return (
    <section aria-labelledby="locked-heading" className="mt-8 rounded-2xl border border-line bg-surface p-6">
      {error ? (
        <div className="mb-4" aria-live="polite">
          <Alert tone="error">{error}</Alert>
        </div>
      ) : null}
      <h2 id="locked-heading" className="flex items-center gap-2 text-lg font-semibold">
        <LockIcon className="size-5 text-accent-strong" />{" "}
        {opening ? "This quiz opens with its module" : "This quiz is for enrolled students"}
      </h2>
      {opening ? (
        <p className="mt-2 text-muted">
          Opens on <time dateTime={opening.opensAt}>{formatInZone(opening.opensAt, opening.timezone)}</time>, on your
          cohort's schedule: its {plural(questionCount, "question")} with feedback on every answer.
        </p>
      ) : (
        <p className="mt-2 text-muted">
          Enrolment opens the quiz, its {plural(questionCount, "question")} with feedback on every answer, and every
          lecture of the module. Passing each module's quiz is part of earning the certificate.
        </p>
      )}
      <div className="mt-5 flex flex-wrap gap-3">
        <Link
          to={moduleUrl}
          className="rounded-lg bg-accent px-4 py-2 font-semibold text-on-accent hover:bg-accent-strong"
        >
          See the module and its free preview
        </Link>
      </div>
    </section>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
