import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/cloudflare";
import { Link, useLoaderData } from "@remix-run/react";
import { getOwnAttempt } from "../../db/queries/quizzes.ts";
import { Breadcrumbs } from "~/components/breadcrumbs";
import { ErrorPage } from "~/components/error-page";
import { Alert } from "~/components/form";
import { ArrowLeftIcon, LockIcon } from "~/components/icons";
import { ProgressBar } from "~/components/progress-bar";
import { formatAttemptDate, QuizFeedbackItem } from "~/components/quiz-result";
import { requireUser } from "~/lib/auth.server";
import { notFound, slugParam } from "~/lib/params";
import { pageMeta } from "~/lib/site";

// `quiz_` keeps this page out of the quiz page's layout: same URL nesting, its own page.

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const attemptId = params.attempt ?? "";
  if (!/^[\w-]{1,64}$/.test(attemptId)) notFound();
  // Scoped to the actor: another student's attempt id is a 404, exactly like a made-up one.
  const found = await getOwnAttempt(context.services.db, user, slugParam(params.module), attemptId);
  if (!found) notFound();
  // The feedback is course material: without access (a lapsed enrolment) only the score shows.
  return { ...found, feedback: found.locked ? [] : found.feedback };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  ...(data ? pageMeta(`Your result: ${data.attempt.quizTitle}`) : pageMeta("Attempt not found")),
  { name: "robots", content: "noindex" },
];

export default function QuizAttemptPage() {
  const { attempt, feedback, locked } = useLoaderData<typeof loader>();
  const moduleUrl = `/modules/${attempt.moduleSlug}`;
  const quizUrl = `${moduleUrl}/quiz`;

  return (
    <div className="mx-auto max-w-3xl px-4 py-10 sm:px-6">
      <Breadcrumbs
        items={[
          { label: "Curriculum", to: "/modules" },
          { label: attempt.moduleTitle, to: moduleUrl },
          { label: "Quiz", to: quizUrl },
          { label: "Result" },
        ]}
      />
      <header className="mt-6">
        <p className="font-mono text-sm font-semibold text-accent-strong">Quiz result</p>
        <h1 className="mt-2 text-3xl font-bold tracking-tight text-balance sm:text-4xl">{attempt.quizTitle}</h1>
        <p className="mt-2 text-sm text-muted">
          Submitted{" "}
          <time dateTime={new Date(attempt.createdAt).toISOString()}>{formatAttemptDate(attempt.createdAt)}</time>
        </p>
      </header>

      <section aria-labelledby="score-heading" className="mt-8 rounded-2xl border border-line bg-surface p-6">
        <h2 id="score-heading" className="sr-only">
          Your score
        </h2>
        <div aria-live="polite">
          <Alert tone={attempt.passed ? "success" : "info"}>
            {attempt.passed ? (
              <p>
                <strong>You passed.</strong> You scored {attempt.scorePercent}%; the pass mark is {attempt.passPercent}
                %.
              </p>
            ) : (
              <p>
                <strong>Not passed yet.</strong> You scored {attempt.scorePercent}% and need {attempt.passPercent}%.
                Read the explanations below, then retake the quiz.
              </p>
            )}
          </Alert>
        </div>
        <div className="mt-5">
          <ProgressBar
            label={`${attempt.correctCount} of ${attempt.questionCount} answers correct`}
            value={attempt.scorePercent}
            max={100}
          />
          <p className="mt-2 text-sm text-muted">Pass mark: {attempt.passPercent}%</p>
        </div>
        <div className="mt-6 flex flex-wrap gap-3">
          <Link
            to={quizUrl}
            className="rounded-lg bg-accent px-4 py-2 font-semibold text-on-accent hover:bg-accent-strong"
          >
            Retake the quiz
          </Link>
          <Link
            to={moduleUrl}
            className="inline-flex items-center gap-1.5 rounded-lg border border-line px-4 py-2 font-medium hover:bg-surface-2"
          >
            <ArrowLeftIcon className="size-4" /> Back to module
          </Link>
        </div>
      </section>

      {locked ? (
        <section aria-labelledby="locked-heading" className="mt-8 rounded-2xl border border-line bg-surface p-6">
          <h2 id="locked-heading" className="flex items-center gap-2 text-lg font-semibold">
            <LockIcon className="size-5 text-accent-strong" /> Feedback is for enrolled students
          </h2>
          <p className="mt-2 text-muted">
            Your score is kept. The answers and explanations of this attempt open again with an active enrolment.
          </p>
        </section>
      ) : (
        <section aria-labelledby="feedback-heading" className="mt-10">
          <h2 id="feedback-heading" className="text-xl font-semibold">
            Question by question
          </h2>
          <ol className="mt-4 space-y-4">
            {feedback.map((item) => (
              <QuizFeedbackItem key={item.questionId} feedback={item} total={feedback.length} />
            ))}
          </ol>
        </section>
      )}
    </div>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
