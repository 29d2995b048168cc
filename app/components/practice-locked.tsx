import { Link } from "@remix-run/react";
import { plural } from "~/lib/format";
import { LockIcon } from "./icons";

type LockedTopic = { slug: string; title: string; summary: string; total: number };

/**
 * What a student without an active enrolment sees instead of practice: what the question
 * bank holds and what to do meanwhile, never an error.
 */
export function PracticeLocked({ topics }: { topics: LockedTopic[] }) {
  const questions = topics.reduce((sum, topic) => sum + topic.total, 0);
  return (
    <section aria-labelledby="locked-heading" className="mt-8 rounded-2xl border border-line bg-surface p-6">
      <h2 id="locked-heading" className="flex items-center gap-2 text-lg font-semibold">
        <LockIcon className="size-5 text-accent-strong" /> Interview practice is for enrolled students
      </h2>
      <p className="mt-2 max-w-2xl text-muted">
        Once your enrolment is active, you practise {plural(questions, "interview question")} with model answers here,
        and spaced repetition brings back the ones you find hard until you know them. Meanwhile, the free preview
        lecture of every module is open to you.
      </p>
      {topics.length > 0 ? (
        <ul className="mt-5 grid gap-3 sm:grid-cols-2">
          {topics.map((topic) => (
            <li key={topic.slug} className="rounded-xl border border-line p-4">
              <p className="font-semibold">{topic.title}</p>
              <p className="mt-1 text-sm text-muted">{topic.summary}</p>
              <p className="mt-2 text-xs font-medium text-muted">{plural(topic.total, "question")}</p>
            </li>
          ))}
        </ul>
      ) : null}
      <div className="mt-6 flex flex-wrap gap-3">
        <Link
          to="/modules"
          className="rounded-lg bg-accent px-4 py-2 font-semibold text-on-accent hover:bg-accent-strong"
        >
          Read the free previews
        </Link>
        <Link to="/dashboard" className="rounded-lg border border-line px-4 py-2 font-medium hover:bg-surface-2">
          Back to your dashboard
        </Link>
      </div>
    </section>
  );
}
