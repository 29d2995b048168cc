import { Link } from "@remix-run/react";
import type { PracticeTopic } from "../../db/queries/interview.ts";
import { plural } from "~/lib/format";
import { ArrowRightIcon, CheckIcon } from "./icons";
import { ProgressBar } from "./progress-bar";

/** One topic on /practice: the student's counts and the one thing to do next in it. */
export function PracticeTopicCard({ topic }: { topic: PracticeTopic }) {
  const url = `/practice/${topic.slug}`;
  const action =
    topic.due > 0 ? `Practise ${topic.due} due` : topic.new > 0 ? `Start ${plural(topic.new, "new question")}` : null;
  return (
    <li className="flex flex-col rounded-2xl border border-line bg-surface p-6 shadow-sm">
      <h2 className="text-lg font-semibold">
        <Link to={url} className="hover:text-accent-strong hover:underline">
          {topic.title}
        </Link>
      </h2>
      <p className="mt-2 flex-1 text-sm text-muted">{topic.summary}</p>
      <dl className="mt-4 grid grid-cols-3 gap-2 text-center">
        <PracticeCount label="Due now" value={topic.due} highlight={topic.due > 0} />
        <PracticeCount label="New" value={topic.new} />
        <PracticeCount label="Questions" value={topic.total} />
      </dl>
      <div className="mt-4">
        <ProgressBar label={`${topic.learned} of ${topic.total} learned`} value={topic.learned} max={topic.total} />
      </div>
      {action ? (
        <Link
          to={url}
          className="mt-5 inline-flex items-center justify-center gap-2 rounded-lg bg-accent px-4 py-2 font-semibold text-on-accent hover:bg-accent-strong"
        >
          {action}
          <span className="sr-only"> in {topic.title}</span> <ArrowRightIcon className="size-4" />
        </Link>
      ) : (
        <p className="mt-5 flex items-center gap-2 text-sm font-medium text-accent-strong">
          <CheckIcon className="size-4" /> All caught up
        </p>
      )}
    </li>
  );
}

export function PracticeCount({
  label,
  value,
  highlight = false,
}: {
  label: string;
  value: number;
  highlight?: boolean;
}) {
  return (
    <div className="rounded-lg bg-surface-2 px-2 py-2">
      <dt className="text-xs text-muted">{label}</dt>
      <dd className={`font-mono text-xl font-semibold ${highlight ? "text-accent-strong" : ""}`}>{value}</dd>
    </div>
  );
}
