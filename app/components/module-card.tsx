import { Link } from "@remix-run/react";
import type { ModuleSummary } from "../../db/queries/curriculum.ts";
import { formatDuration, plural } from "~/lib/format";
import { BookIcon, ClockIcon } from "./icons";

export function ModuleCard({ module, index }: { module: ModuleSummary; index: number }) {
  return (
    <li className="group relative flex flex-col rounded-2xl border border-line bg-surface p-6 shadow-sm transition hover:border-accent hover:shadow-md">
      <p className="font-mono text-xs font-semibold tracking-wider text-accent-strong uppercase">
        Module {String(index + 1).padStart(2, "0")}
      </p>
      <h2 className="mt-2 text-lg font-semibold">
        <Link to={`/modules/${module.slug}`} className="after:absolute after:inset-0">
          {module.title}
        </Link>
      </h2>
      <p className="mt-2 flex-1 text-sm text-muted">{module.summary}</p>
      <dl className="mt-5 flex flex-wrap gap-x-5 gap-y-1 text-sm text-muted">
        <div className="flex items-center gap-1.5">
          <BookIcon className="size-4" />
          <dt className="sr-only">Lectures</dt>
          <dd>{plural(module.lectureCount, "lecture")}</dd>
        </div>
        <div className="flex items-center gap-1.5">
          <ClockIcon className="size-4" />
          <dt className="sr-only">Total duration</dt>
          <dd>{formatDuration(module.totalMinutes)}</dd>
        </div>
        {module.previewCount > 0 ? (
          <div>
            <dt className="sr-only">Free previews</dt>
            <dd className="rounded-full bg-accent-soft px-2 py-0.5 text-xs font-medium text-accent-strong">
              {plural(module.previewCount, "free preview")}
            </dd>
          </div>
        ) : null}
      </dl>
    </li>
  );
}
