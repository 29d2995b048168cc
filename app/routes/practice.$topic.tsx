import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/cloudflare";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import * as z from "zod";
import { formatInterval } from "../../db/queries/interview-scheduler.ts";
import { expectedCardSchema, nextCard, recordReview, type PracticeTopic } from "../../db/queries/interview.ts";
import { REVIEW_RATINGS } from "../../db/schema.ts";
import { Breadcrumbs } from "~/components/breadcrumbs";
import { ErrorPage } from "~/components/error-page";
import { Alert } from "~/components/form";
import { ArrowLeftIcon, CheckIcon } from "~/components/icons";
import { PracticeCard } from "~/components/practice-card";
import { PracticeLocked } from "~/components/practice-locked";
import { ProgressBar } from "~/components/progress-bar";
import { requireUser } from "~/lib/auth.server";
import { parseForm } from "~/lib/forms";
import { plural } from "~/lib/format";
import { notFound, slugParam } from "~/lib/params";
import { pageMeta } from "~/lib/site";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const now = new Date();
  const next = await nextCard(context.services.db, user, slugParam(params.topic), now);
  if (next.status === "not_found") notFound();
  if (next.status === "caught_up") {
    // Relative, worked out here: the server and the browser may sit in different time zones.
    const waitMinutes = next.nextDueAt ? Math.ceil((next.nextDueAt.getTime() - now.getTime()) / 60_000) : null;
    return { ...next, nextDueIn: waitMinutes === null ? null : formatInterval(waitMinutes) };
  }
  return next;
}

const RATING_LABELS = { again: "Again", hard: "Hard", good: "Good", easy: "Easy" } as const;

const ratingForm = z.object({
  questionId: z.coerce
    .number({ message: "That question is not in the bank." })
    .int("That question is not in the bank.")
    .positive("That question is not in the bank."),
  rating: z.enum(REVIEW_RATINGS, { message: "Choose one of Again, Hard, Good or Easy." }),
  expected: expectedCardSchema,
});

type Outcome = { tone: "success" | "info" | "error"; message: string };

/** A rating: one guarded write, then the loader serves the next card. Plain POST, no JavaScript needed. */
export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const parsed = parseForm(await request.formData(), ratingForm);
  if (!parsed.ok) {
    const message = Object.values(parsed.state.errors)[0] ?? "That rating was not understood.";
    return data<Outcome>({ tone: "error", message }, { status: 400 });
  }
  const { questionId, rating, expected } = parsed.data;
  const result = await recordReview(context.services.db, user, questionId, rating, expected);
  if (result.applied) {
    return data<Outcome>({
      tone: "success",
      message: `Rated ${RATING_LABELS[rating]}: you'll see that question again in ${formatInterval(result.intervalMinutes)}.`,
    });
  }
  switch (result.reason) {
    case "not_found":
      return data<Outcome>({ tone: "error", message: "That question is not in the bank." }, { status: 400 });
    case "enrollment_required":
      return data<Outcome>(
        { tone: "error", message: "Interview practice is open to enrolled students." },
        { status: 403 },
      );
    case "stale":
      return data<Outcome>(
        { tone: "info", message: "That question was already rated, so this rating was not counted twice." },
        { status: 409 },
      );
  }
}

export const meta: MetaFunction<typeof loader> = ({ data: page }) => [
  ...(page ? pageMeta(`${page.topic.title} interview practice`, page.topic.summary) : pageMeta("Interview practice")),
  { name: "robots", content: "noindex" },
];

export default function PracticeTopicPage() {
  const page = useLoaderData<typeof loader>();
  const outcome = useActionData<typeof action>();
  const { topic } = page;

  return (
    <div className="mx-auto max-w-3xl px-4 py-8 sm:px-6">
      <Breadcrumbs items={[{ label: "Interview practice", to: "/practice" }, { label: topic.title }]} />
      <header className="mt-6">
        <h1 className="text-3xl font-bold tracking-tight text-balance sm:text-4xl">{topic.title}</h1>
        <p className="mt-2 text-muted">{topic.summary}</p>
      </header>

      <div aria-live="polite">
        {outcome ? (
          <div className="mt-6">
            <Alert tone={outcome.tone}>{outcome.message}</Alert>
          </div>
        ) : null}
      </div>

      {page.status === "enrollment_required" ? (
        <PracticeLocked topics={[topic]} />
      ) : (
        <>
          <SessionProgress topic={page.topic} />
          {page.status === "card" ? (
            <PracticeCard key={page.card.questionId} card={page.card} total={page.topic.total} />
          ) : (
            <CaughtUp topic={page.topic} nextDueIn={page.nextDueIn} />
          )}
        </>
      )}
    </div>
  );
}

function SessionProgress({ topic }: { topic: PracticeTopic }) {
  return (
    <section aria-label="Your progress in this topic" className="mt-6">
      <p className="text-sm">
        <strong className="font-semibold">
          {topic.due > 0 ? `${topic.due} due left in this topic` : "Nothing due in this topic"}
        </strong>
        <span className="text-muted">
          {topic.new > 0 ? ` · ${plural(topic.new, "new question")} to go` : " · every question started"}
        </span>
      </p>
      <div className="mt-3">
        <ProgressBar
          label={`${topic.learned} of ${plural(topic.total, "question")} learned`}
          value={topic.learned}
          max={topic.total}
        />
      </div>
    </section>
  );
}

function CaughtUp({ topic, nextDueIn }: { topic: PracticeTopic; nextDueIn: string | null }) {
  return (
    <section
      aria-labelledby="caught-up-heading"
      className="mt-6 rounded-2xl border border-dashed border-line bg-surface p-6 text-center sm:p-8"
    >
      <CheckIcon className="mx-auto size-8 text-accent-strong" />
      <h2 id="caught-up-heading" className="mt-3 text-xl font-semibold">
        {topic.total === 0 ? "No questions in this topic yet" : `All caught up in ${topic.title}`}
      </h2>
      <p className="mx-auto mt-2 max-w-md text-muted">
        {nextDueIn
          ? `You've rated every question here. The next one is due in ${nextDueIn}: come back then, or practise another topic.`
          : "Questions appear here as soon as the school adds them. Practise another topic meanwhile."}
      </p>
      <Link
        to="/practice"
        className="mt-6 inline-flex items-center gap-2 rounded-lg bg-accent px-4 py-2 font-semibold text-on-accent hover:bg-accent-strong"
      >
        <ArrowLeftIcon className="size-4" /> Back to all topics
      </Link>
    </section>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
