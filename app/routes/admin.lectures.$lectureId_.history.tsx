import {
  data,
  redirect,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/cloudflare";
import { Form, Link, useLoaderData, useNavigation } from "@remix-run/react";
import { getLectureHistory, restoreLectureVersion } from "../../db/queries/admin-lecture-history.ts";
import {
  BodyDiff,
  FieldChanges,
  VersionList,
  versionAuthor,
  type FieldChange,
} from "~/components/admin-lecture-history";
import { Breadcrumbs } from "~/components/breadcrumbs";
import { EmptyState } from "~/components/empty-state";
import { ErrorPage } from "~/components/error-page";
import { formatWhen } from "~/components/project-submission-card";
import { idParam } from "~/lib/admin-content.server";
import { requireAdmin } from "~/lib/auth.server";
import { diffHunks, diffLines } from "~/lib/line-diff";
import { notFound } from "~/lib/params";
import { pageMeta } from "~/lib/site";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  ...pageMeta(data ? `History: ${data.lecture.title} · Admin` : "Lecture not found"),
  { name: "robots", content: "noindex" },
];

type Snapshot = {
  title: string;
  slug: string;
  summary: string;
  durationMinutes: number;
  published: boolean;
  freePreview: boolean;
};

const yesNo = (value: boolean) => (value ? "Yes" : "No");

function fieldChanges(before: Snapshot, after: Snapshot): FieldChange[] {
  const fields: Array<[string, (snapshot: Snapshot) => string]> = [
    ["Title", (snapshot) => snapshot.title],
    ["Slug", (snapshot) => snapshot.slug],
    ["Summary", (snapshot) => snapshot.summary],
    ["Duration (minutes)", (snapshot) => String(snapshot.durationMinutes)],
    ["Published", (snapshot) => yesNo(snapshot.published)],
    ["Free preview", (snapshot) => yesNo(snapshot.freePreview)],
  ];
  return fields
    .map(([label, read]) => ({ label, before: read(before), after: read(after) }))
    .filter((change) => change.before !== change.after);
}

export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const admin = await requireAdmin(context);
  const lectureId = idParam(params.lectureId);
  const requested = new URL(request.url).searchParams.get("version");
  const versionId = requested === null ? undefined : idParam(requested);
  const history = await getLectureHistory(context.services.db, admin, lectureId, versionId);
  if (!history || (versionId !== undefined && !history.chosen)) notFound();
  const { lecture, versions, chosen, previous } = history;
  const lines = chosen && previous ? diffLines(previous.bodyMarkdown, chosen.bodyMarkdown) : null;
  return {
    lecture,
    versions,
    chosen,
    newestId: versions[0]?.id ?? null,
    comparedWith: previous ? previous.number : null,
    changes: chosen && previous ? fieldChanges(previous, chosen) : [],
    hunks: lines ? diffHunks(lines) : null,
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const admin = await requireAdmin(context);
  const lectureId = idParam(params.lectureId);
  const formData = await request.formData();
  if (formData.get("intent") !== "restore") throw data(null, { status: 400 });
  const versionId = idParam(String(formData.get("versionId") ?? ""));
  const result = await restoreLectureVersion(context.services.db, admin, lectureId, versionId);
  if (!result.ok) notFound();
  return redirect(`/admin/lectures/${lectureId}?restored=${result.number}`);
}

export default function LectureHistory() {
  const { lecture, versions, chosen, newestId, comparedWith, changes, hunks } = useLoaderData<typeof loader>();
  const navigation = useNavigation();
  const restoring = navigation.state === "submitting" && navigation.formData?.get("intent") === "restore";

  return (
    <div className="mx-auto max-w-7xl px-4 py-10 sm:px-6">
      <Breadcrumbs
        items={[
          { label: "Admin", to: "/admin" },
          { label: "Content", to: "/admin/modules" },
          { label: lecture.moduleTitle, to: `/admin/modules/${lecture.moduleId}` },
          { label: lecture.title, to: `/admin/lectures/${lecture.id}` },
          { label: "History" },
        ]}
      />
      <h1 className="mt-4 text-3xl font-bold tracking-tight text-balance">History of “{lecture.title}”</h1>
      <p className="mt-2 text-muted">
        Every save is kept. Restoring brings back a version's title, summary, duration, free-preview setting and body as
        a new version; the slug and whether it is published stay as they are.
      </p>

      {!chosen ? (
        <div className="mt-8">
          <EmptyState title="No versions yet">
            This lecture has not been saved in the editor yet. Its first save starts the history.
          </EmptyState>
        </div>
      ) : (
        <div className="mt-8 grid gap-8 lg:grid-cols-[18rem_1fr]">
          <nav aria-label="Versions">
            <VersionList versions={versions} chosenId={chosen.id} lectureId={lecture.id} />
          </nav>
          <article aria-labelledby="version-heading" className="min-w-0 space-y-6">
            <header className="rounded-2xl border border-line bg-surface p-5 sm:p-6">
              <h2 id="version-heading" className="text-xl font-semibold">
                Version {chosen.number}: {chosen.note}
              </h2>
              <p className="mt-1 text-sm text-muted">
                Saved {formatWhen(chosen.createdAt)} by{" "}
                {versionAuthor(
                  versions.find((version) => version.id === chosen.id) ?? { authorName: null, authorEmail: null },
                )}
              </p>
              {chosen.id === newestId ? (
                <p className="mt-3 text-sm">This is the newest version: the lecture's text as it is now.</p>
              ) : (
                <Form method="post" className="mt-4">
                  <input type="hidden" name="intent" value="restore" />
                  <input type="hidden" name="versionId" value={chosen.id} />
                  <button
                    type="submit"
                    disabled={restoring}
                    className="rounded-lg bg-accent px-4 py-2 text-sm font-semibold text-on-accent hover:bg-accent-strong disabled:opacity-60"
                  >
                    {restoring ? "Restoring…" : "Restore this version"}
                  </button>
                </Form>
              )}
            </header>

            <section aria-labelledby="changes-heading" className="rounded-2xl border border-line bg-surface p-5 sm:p-6">
              <h3 id="changes-heading" className="font-semibold">
                {comparedWith ? `Changes since version ${comparedWith}` : "The first version"}
              </h3>
              <div className="mt-3 space-y-4">
                {comparedWith ? <FieldChanges changes={changes} /> : null}
                {comparedWith && hunks ? <BodyDiff hunks={hunks} /> : null}
                {comparedWith && !hunks ? (
                  <p className="text-sm text-muted">
                    The body is too long to compare line by line: read it in full below.
                  </p>
                ) : null}
                {!comparedWith ? (
                  <p className="text-sm text-muted">Nothing to compare with: the lecture began here.</p>
                ) : null}
              </div>
            </section>

            <section aria-labelledby="text-heading" className="rounded-2xl border border-line bg-surface p-5 sm:p-6">
              <h3 id="text-heading" className="font-semibold">
                Full text of version {chosen.number}
              </h3>
              <dl className="mt-3 grid gap-x-6 gap-y-2 text-sm sm:grid-cols-[auto_1fr]">
                <dt className="text-muted">Title</dt>
                <dd>{chosen.title}</dd>
                <dt className="text-muted">Slug</dt>
                <dd>{chosen.slug}</dd>
                <dt className="text-muted">Summary</dt>
                <dd>{chosen.summary}</dd>
                <dt className="text-muted">Duration</dt>
                <dd>{chosen.durationMinutes} minutes</dd>
                <dt className="text-muted">Published</dt>
                <dd>{yesNo(chosen.published)}</dd>
                <dt className="text-muted">Free preview</dt>
                <dd>{yesNo(chosen.freePreview)}</dd>
              </dl>
              <h4 className="mt-4 text-sm text-muted">Body (markdown)</h4>
              <pre className="mt-1 rounded-lg border border-line bg-canvas p-4 font-mono text-xs break-words whitespace-pre-wrap">
                {chosen.bodyMarkdown}
              </pre>
            </section>
          </article>
        </div>
      )}

      <p className="mt-10">
        <Link
          to={`/admin/lectures/${lecture.id}`}
          className="text-sm text-accent-strong underline underline-offset-2 hover:no-underline"
        >
          Back to the editor
        </Link>
      </p>
    </div>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
