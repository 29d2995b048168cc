import { Link } from "@remix-run/react";
import type { ReactNode } from "react";
import type { ModuleWithLectures } from "../../db/queries/curriculum.ts";
import { ArrowRightIcon, CheckIcon, LockIcon } from "~/components/icons";
import { ProjectStatusBadge } from "~/components/project-status-badge";
import { plural } from "~/lib/format";

type Work = ModuleWithLectures["module"];

function Badge({ children, tone = "neutral" }: { children: ReactNode; tone?: "neutral" | "good" | "warn" }) {
  const tones = {
    neutral: "bg-surface-2 text-muted",
    good: "bg-emerald-100 text-emerald-900 dark:bg-emerald-950 dark:text-emerald-200",
    warn: "bg-amber-100 text-amber-900 dark:bg-amber-950 dark:text-amber-200",
  };
  return <span className={`rounded-full px-2 py-0.5 text-xs font-medium ${tones[tone]}`}>{children}</span>;
}

/** The module's quiz and project: what they are and where the student stands on each. */
export function ModuleWork({ module, fullAccess }: { module: Work; fullAccess: boolean }) {
  if (!module.quizTitle && !module.projectTitle) return null;
  const locked = fullAccess ? null : (
    <span className="flex items-center gap-1 text-xs text-muted">
      <LockIcon className="size-3.5" /> Enrolled students
    </span>
  );
  return (
    <section aria-labelledby="work-heading" className="mt-12">
      <h2 id="work-heading" className="text-xl font-semibold">
        Practise and prove it
      </h2>
      <div className="mt-4 grid gap-4 sm:grid-cols-2">
        {module.quizTitle ? (
          <div className="flex flex-col rounded-2xl border border-line bg-surface p-5">
            <p className="text-xs font-medium tracking-wide text-muted uppercase">Quiz</p>
            <h3 className="mt-1 font-semibold">{module.quizTitle}</h3>
            <p className="mt-2 text-sm text-muted">
              {plural(module.quizQuestionCount, "question")} · pass mark {module.quizPassPercent}%
            </p>
            <div className="mt-3 flex flex-wrap items-center gap-2">
              {module.quizPassed ? (
                <Badge tone="good">
                  <CheckIcon className="mr-1 inline size-3.5" />
                  Passed · best {module.quizBestScore}%
                </Badge>
              ) : module.quizBestScore !== null ? (
                <Badge tone="warn">Best so far {module.quizBestScore}%</Badge>
              ) : null}
              {locked}
            </div>
            <Link
              to={`/modules/${module.slug}/quiz`}
              className="mt-4 inline-flex items-center gap-1 self-start font-semibold text-accent-strong hover:underline"
            >
              {module.quizBestScore === null ? "Take the quiz" : "Open the quiz"} <ArrowRightIcon className="size-4" />
            </Link>
          </div>
        ) : null}
        {module.projectTitle ? (
          <div className="flex flex-col rounded-2xl border border-line bg-surface p-5">
            <p className="text-xs font-medium tracking-wide text-muted uppercase">Hands-on project</p>
            <h3 className="mt-1 font-semibold">{module.projectTitle}</h3>
            <p className="mt-2 text-sm text-muted">{module.projectSummary}</p>
            <div className="mt-3 flex flex-wrap items-center gap-2">
              <Badge>{module.projectRequired ? "Required for the certificate" : "Optional"}</Badge>
              {module.projectStatus ? <ProjectStatusBadge status={module.projectStatus} /> : null}
              {locked}
            </div>
            <Link
              to={`/modules/${module.slug}/project`}
              className="mt-4 inline-flex items-center gap-1 self-start font-semibold text-accent-strong hover:underline"
            >
              Read the brief <ArrowRightIcon className="size-4" />
            </Link>
          </div>
        ) : null}
      </div>
    </section>
  );
}
