import { Link } from "@remix-run/react";
import type { Dashboard } from "../../db/queries/dashboard.ts";
import { ArrowRightIcon } from "~/components/icons";
import { plural } from "~/lib/format";

/** Interview practice at a glance: what is due today, per topic. */
export function DashboardPractice({ practice }: { practice: Dashboard["practice"] }) {
  if (practice.topics.length === 0) return null;
  const waiting = practice.topics.filter((topic) => topic.due > 0);
  return (
    <section aria-labelledby="practice-heading" className="mt-10">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <h2 id="practice-heading" className="text-xl font-semibold">
          Interview practice
        </h2>
        <Link
          to="/practice"
          className="inline-flex items-center gap-1 font-semibold text-accent-strong hover:underline"
        >
          {practice.due > 0 ? `Practise ${plural(practice.due, "due question")}` : "Open interview practice"}
          <ArrowRightIcon className="size-4" />
        </Link>
      </div>
      <p className="mt-2 text-muted">
        {practice.due > 0
          ? `${plural(practice.due, "question is", "questions are")} due for review today, and ${practice.new} you have not tried yet.`
          : practice.new > 0
            ? `Nothing due today. ${plural(practice.new, "question")} you have not tried yet are waiting in the question bank.`
            : "Nothing due today: every question is scheduled for later. Come back tomorrow."}
      </p>
      {waiting.length > 0 ? (
        <ul className="mt-4 flex flex-wrap gap-2">
          {waiting.map((topic) => (
            <li key={topic.slug}>
              <Link
                to={`/practice/${topic.slug}`}
                className="inline-flex items-center gap-2 rounded-full border border-line bg-surface px-3 py-1 text-sm hover:border-accent"
              >
                {topic.title}
                <span className="rounded-full bg-accent px-2 text-xs font-semibold text-on-accent">{topic.due}</span>
              </Link>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
