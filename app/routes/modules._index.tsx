import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/cloudflare";
import { useLoaderData } from "@remix-run/react";
import { curriculumTotals, listPublishedModules } from "../../db/queries/curriculum.ts";
import { EmptyState } from "~/components/empty-state";
import { ErrorPage } from "~/components/error-page";
import { ModuleCard } from "~/components/module-card";
import { formatDuration, plural } from "~/lib/format";
import { pageMeta } from "~/lib/site";

export const meta: MetaFunction = () =>
  pageMeta(
    "Curriculum",
    "Every module of the DevOps programme, from Linux and networking to Kubernetes, CI/CD and monitoring, with lecture counts and study time.",
  );

export async function loader({ context }: LoaderFunctionArgs) {
  const modules = await listPublishedModules(context.services.db);
  // Totals are worked out here, so the page's browser bundle carries no query code.
  return { modules, totals: curriculumTotals(modules) };
}

export default function Curriculum() {
  const { modules, totals } = useLoaderData<typeof loader>();

  return (
    <div className="mx-auto max-w-7xl px-4 py-12 sm:px-6">
      <header className="max-w-3xl">
        <h1 className="text-3xl font-bold tracking-tight sm:text-4xl">Curriculum</h1>
        <p className="mt-3 text-lg text-muted">
          {modules.length > 0
            ? `${plural(totals.modules, "module")}, ${plural(totals.lectures, "lecture")}, about ${formatDuration(totals.minutes)} of material. Work through them in order: each module builds on the one before.`
            : "The programme's modules are listed here as soon as they are published."}
        </p>
      </header>
      {modules.length > 0 ? (
        <ol className="mt-10 grid gap-5 sm:grid-cols-2 lg:grid-cols-3">
          {modules.map((module, index) => (
            <ModuleCard key={module.slug} module={module} index={index} />
          ))}
        </ol>
      ) : (
        <div className="mt-10">
          <EmptyState title="No modules published yet">
            Run <code className="font-mono">npm run db:seed</code> to load the demo curriculum, or publish a module.
          </EmptyState>
        </div>
      )}
    </div>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
