import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/cloudflare";
import { Link, useLoaderData } from "@remix-run/react";
import { listPracticeTopics } from "../../db/queries/interview.ts";
import { EmptyState } from "~/components/empty-state";
import { ErrorPage } from "~/components/error-page";
import { ArrowRightIcon } from "~/components/icons";
import { PracticeLocked } from "~/components/practice-locked";
import { PracticeCount, PracticeTopicCard } from "~/components/practice-topic-card";
import { requireUser } from "~/lib/auth.server";
import { plural } from "~/lib/format";
import { pageMeta } from "~/lib/site";

export const meta: MetaFunction = () => [
  ...pageMeta(
    "Interview practice",
    "Practise DevOps interview questions with model answers and spaced repetition, topic by topic.",
  ),
  { name: "robots", content: "noindex" },
];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  return listPracticeTopics(context.services.db, user, new Date());
}

export default function PracticeTopics() {
  const practice = useLoaderData<typeof loader>();

  return (
    <div className="mx-auto max-w-6xl px-4 py-10 sm:px-6">
      <header className="max-w-3xl">
        <h1 className="text-3xl font-bold tracking-tight sm:text-4xl">Interview practice</h1>
        <p className="mt-3 text-lg text-muted">
          Answer each question out loud as you would in an interview, then open the model answer and rate how well you
          knew it. Questions you struggle with come back within minutes; the ones you know wait days or months.
        </p>
      </header>

      {practice.access === "enrollment_required" ? (
        <PracticeLocked topics={practice.topics} />
      ) : practice.topics.length === 0 ? (
        <div className="mt-8">
          <EmptyState title="No interview questions yet">
            The question bank appears here as soon as the school publishes it. Meanwhile, keep going with{" "}
            <Link to="/modules" className="text-accent-strong underline">
              the curriculum
            </Link>
            .
          </EmptyState>
        </div>
      ) : (
        <>
          <section aria-labelledby="today-heading" className="mt-8 rounded-2xl border border-line bg-surface p-6">
            <h2 id="today-heading" className="text-lg font-semibold">
              {practice.totals.due > 0
                ? `${plural(practice.totals.due, "card")} due now`
                : practice.totals.new > 0
                  ? "Nothing due: time for new questions"
                  : "You're all caught up"}
            </h2>
            <dl className="mt-4 grid max-w-md grid-cols-3 gap-2 text-center">
              <PracticeCount label="Due now" value={practice.totals.due} highlight={practice.totals.due > 0} />
              <PracticeCount label="New" value={practice.totals.new} />
              <PracticeCount label="Questions" value={practice.totals.total} />
            </dl>
            <NextStep topics={practice.topics} />
          </section>

          <ul aria-label="Topics" className="mt-8 grid gap-5 sm:grid-cols-2 lg:grid-cols-3">
            {practice.topics.map((topic) => (
              <PracticeTopicCard key={topic.slug} topic={topic} />
            ))}
          </ul>
        </>
      )}
    </div>
  );
}

/** The single best thing to do now: the topic with most cards due, else the first with new questions. */
function NextStep({ topics }: { topics: Array<{ slug: string; title: string; due: number; new: number }> }) {
  const mostDue = topics.reduce<(typeof topics)[number] | null>(
    (best, topic) => (topic.due > (best?.due ?? 0) ? topic : best),
    null,
  );
  const target = mostDue ?? topics.find((topic) => topic.new > 0);
  if (!target) {
    return (
      <p className="mt-4 text-muted">
        Every question has been rated and none is due. Come back when cards fall due: each topic shows how many.
      </p>
    );
  }
  return (
    <Link
      to={`/practice/${target.slug}`}
      className="mt-5 inline-flex items-center gap-2 rounded-lg bg-accent px-5 py-2.5 font-semibold text-on-accent hover:bg-accent-strong"
    >
      {target.due > 0 ? `Practise ${target.due} due in ${target.title}` : `Start ${target.title}`}
      <ArrowRightIcon className="size-4" />
    </Link>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
