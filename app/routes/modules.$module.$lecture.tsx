import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/cloudflare";
import { Form, Link, useLoaderData, useNavigation, type ShouldRevalidateFunction } from "@remix-run/react";
import { useRef } from "react";
import * as z from "zod";
import { lectureOpening, loadReleaseSchedule, opensOnText } from "../../db/queries/access.ts";
import { getPublishedLecture, type LectureLink } from "../../db/queries/curriculum.ts";
import { recordLectureView } from "../../db/queries/lecture-views.ts";
import { saveOwnNote } from "../../db/queries/notes.ts";
import { setLectureCompleted } from "../../db/queries/progress.ts";
import { NOTE_MAX_LENGTH } from "../../db/schema.ts";
import type { TocEntry } from "../../worker/markdown/render.ts";
import { Breadcrumbs } from "~/components/breadcrumbs";
import { useCodeCopyButtons } from "~/components/code-copy-buttons";
import { ErrorPage } from "~/components/error-page";
import { LectureDownloads } from "~/components/lecture-downloads";
import { LectureNotes } from "~/components/lecture-notes";
import { LectureVideo } from "~/components/lecture-video";
import { ArrowLeftIcon, ArrowRightIcon, CheckIcon, ClockIcon, LockIcon } from "~/components/icons";
import { getOptionalUser, requireUser } from "~/lib/auth.server";
import { formatInZone } from "~/lib/cohort-format";
import { formatDuration } from "~/lib/format";
import { notFound, slugParam } from "~/lib/params";
import { pageMeta } from "~/lib/site";

export async function loader({ params, context }: LoaderFunctionArgs) {
  const viewer = await getOptionalUser(context);
  const page = await getPublishedLecture(
    context.services.db,
    slugParam(params.module),
    slugParam(params.lecture),
    viewer,
  );
  if (page && viewer && !page.lecture.locked) {
    // The admin's analytics count the view after the response: it never slows or fails the page.
    const view = recordLectureView(context.services.db, viewer, page.lecture.id);
    const log = context.services.log;
    context.cloudflare.ctx.waitUntil(view.catch((error: unknown) => log.error("lecture view not recorded", { error })));
  }
  return page ? { ...page, signedIn: viewer !== null } : notFound();
}

const lectureForm = z.discriminatedUnion("intent", [
  z.object({ intent: z.enum(["complete", "incomplete"]), lectureId: z.coerce.number().int().positive() }),
  z.object({
    intent: z.literal("note"),
    lectureId: z.coerce.number().int().positive(),
    body: z
      .string()
      .max(
        NOTE_MAX_LENGTH,
        `Notes can be up to ${NOTE_MAX_LENGTH.toLocaleString("en")} characters; this one is longer.`,
      ),
  }),
]);

/** Progress and notes: plain forms, so they work without JavaScript. */
export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const parsed = lectureForm.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) {
    const tooLong = parsed.error.issues.find((issue) => issue.path[0] === "body");
    return data({ error: tooLong?.message ?? "That update was not understood." }, { status: 400 });
  }
  const form = parsed.data;
  const saved =
    form.intent === "note"
      ? await saveOwnNote(context.services.db, user, form.lectureId, form.body)
      : await setLectureCompleted(context.services.db, user, form.lectureId, form.intent === "complete");
  if (!saved) {
    // Refusals are rare: only now look up whether the cohort's schedule is what holds it back.
    const db = context.services.db;
    const opening = await lectureOpening(db, await loadReleaseSchedule(db, user), form.lectureId);
    const error = opening
      ? `This lecture ${opensOnText(opening)} for your cohort.`
      : "This lecture is open to enrolled students.";
    return data({ error }, { status: 403 });
  }
  return { saved: form.intent };
}

// An autosaved note changes nothing else on the page: skip reloading the lecture.
export const shouldRevalidate: ShouldRevalidateFunction = ({ formData, defaultShouldRevalidate }) =>
  formData?.get("intent") === "note" ? false : defaultShouldRevalidate;

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  data ? pageMeta(data.lecture.title, data.lecture.summary) : pageMeta("Lecture not found");

export default function LecturePage() {
  const { lecture, outline, previous, next, signedIn } = useLoaderData<typeof loader>();
  const { toc } = lecture;
  const article = useRef<HTMLDivElement>(null);
  useCodeCopyButtons(article, lecture.bodyHtml ?? "");
  const number = outline.findIndex((item) => item.slug === lecture.slug) + 1;
  const moduleUrl = `/modules/${lecture.moduleSlug}`;

  return (
    <div className="mx-auto max-w-7xl px-4 py-8 sm:px-6">
      <Breadcrumbs
        items={[
          { label: "Curriculum", to: "/modules" },
          { label: lecture.moduleTitle, to: moduleUrl },
          { label: lecture.title },
        ]}
      />
      <div className="mt-6 grid gap-10 lg:grid-cols-[15rem_minmax(0,1fr)] xl:grid-cols-[15rem_minmax(0,1fr)_14rem]">
        <aside className="order-last lg:order-first">
          <nav aria-labelledby="outline-heading" className="lg:sticky lg:top-24">
            <h2 id="outline-heading" className="text-sm font-semibold">
              <Link to={moduleUrl} className="hover:underline">
                {lecture.moduleTitle}
              </Link>
            </h2>
            <ol className="mt-3 space-y-1 border-l border-line text-sm">
              {outline.map((item) => {
                const current = item.slug === lecture.slug;
                return (
                  <li key={item.slug}>
                    <Link
                      to={`${moduleUrl}/${item.slug}`}
                      aria-current={current ? "page" : undefined}
                      className={`-ml-px block border-l-2 py-1.5 pl-3 ${
                        current
                          ? "border-accent font-medium text-accent-strong"
                          : "border-transparent text-muted hover:border-line hover:text-ink"
                      }`}
                    >
                      <span className="flex items-start justify-between gap-2">
                        <span>{item.title}</span>
                        {item.completed ? (
                          <CheckIcon className="mt-0.5 size-4 shrink-0 text-accent-strong" aria-label="Completed" />
                        ) : null}
                      </span>
                    </Link>
                  </li>
                );
              })}
            </ol>
          </nav>
        </aside>

        <article className="min-w-0">
          <header>
            <p className="font-mono text-sm font-semibold text-accent-strong">
              Lecture {number} of {outline.length}
            </p>
            <h1 className="mt-2 text-3xl font-bold tracking-tight text-balance sm:text-4xl">{lecture.title}</h1>
            <p className="mt-3 text-lg text-muted">{lecture.summary}</p>
            <p className="mt-4 flex flex-wrap items-center gap-3 text-sm text-muted">
              <span className="flex items-center gap-1.5">
                <ClockIcon className="size-4" /> {formatDuration(lecture.durationMinutes)}
              </span>
              {lecture.freePreview ? (
                <span className="rounded-full bg-accent-soft px-2 py-0.5 text-xs font-medium text-accent-strong">
                  Free preview
                </span>
              ) : null}
            </p>
          </header>

          {toc.length > 0 && lecture.bodyHtml !== null ? (
            <details className="mt-6 rounded-xl border border-line bg-surface px-4 py-3 xl:hidden">
              <summary className="cursor-pointer text-sm font-semibold">On this page</summary>
              <TableOfContents toc={toc} />
            </details>
          ) : null}

          {lecture.bodyHtml === null ? (
            <LockedLecture
              opening={lecture.opening}
              toc={toc}
              signedIn={signedIn}
              moduleUrl={moduleUrl}
              outline={outline}
              loginUrl={`/login?${new URLSearchParams({ redirectTo: `${moduleUrl}/${lecture.slug}` })}`}
            />
          ) : (
            <>
              {lecture.hasVideo ? (
                <LectureVideo
                  key={lecture.id}
                  src={`/media/${lecture.moduleSlug}/${lecture.slug}/video`}
                  captions={`/media/${lecture.moduleSlug}/${lecture.slug}/captions`}
                  lectureId={lecture.id}
                  resumeAt={lecture.positionSeconds}
                  trackProgress={signedIn}
                />
              ) : null}
              <div
                ref={article}
                className="prose mt-8 max-w-3xl"
                dangerouslySetInnerHTML={{ __html: lecture.bodyHtml }}
              />
              <LectureDownloads baseUrl={`/media/${lecture.moduleSlug}/${lecture.slug}/files`} files={lecture.files} />
              {signedIn ? <CompleteButton lectureId={lecture.id} completed={lecture.completed} /> : null}
              {signedIn ? <LectureNotes key={lecture.id} lectureId={lecture.id} initial={lecture.note} /> : null}
              <section
                aria-labelledby="discussion-heading"
                className="mt-10 rounded-2xl border border-line bg-surface p-5"
              >
                <h2 id="discussion-heading" className="font-semibold">
                  Questions about this lecture?
                </h2>
                <p className="mt-1 text-sm text-muted">
                  Ask in the lecture's discussion: classmates and instructors answer there, and you are notified of
                  replies.
                </p>
                <Link
                  to={`/modules/${lecture.moduleSlug}/${lecture.slug}/discussion`}
                  className="mt-3 inline-flex items-center gap-1 font-semibold text-accent-strong hover:underline"
                >
                  Open the discussion <ArrowRightIcon className="size-4" />
                </Link>
              </section>
            </>
          )}

          <nav
            aria-label="Previous and next lecture"
            className="mt-14 grid gap-4 border-t border-line pt-8 sm:grid-cols-2"
          >
            {previous ? <Neighbour link={previous} direction="previous" /> : <span />}
            {next ? <Neighbour link={next} direction="next" /> : null}
          </nav>
        </article>

        {toc.length > 0 && lecture.bodyHtml !== null ? (
          <aside className="hidden xl:block">
            <nav aria-labelledby="toc-heading" className="sticky top-24">
              <h2 id="toc-heading" className="text-sm font-semibold">
                On this page
              </h2>
              <TableOfContents toc={toc} />
            </nav>
          </aside>
        ) : null}
      </div>
    </div>
  );
}

function CompleteButton({ lectureId, completed }: { lectureId: number; completed: boolean }) {
  const navigation = useNavigation();
  const pending =
    navigation.formData?.get("lectureId") === String(lectureId) ? navigation.formData.get("intent") : null;
  const shownComplete = pending ? pending === "complete" : completed;
  return (
    <Form
      method="post"
      preventScrollReset
      className="mt-10 flex flex-wrap items-center gap-4 rounded-xl border border-line bg-surface p-4"
    >
      <input type="hidden" name="lectureId" value={lectureId} />
      {shownComplete ? (
        <>
          <p className="flex items-center gap-2 font-medium text-accent-strong" role="status">
            <CheckIcon className="size-5" /> You completed this lecture
          </p>
          <button
            type="submit"
            name="intent"
            value="incomplete"
            className="ml-auto text-sm text-muted underline hover:text-ink"
          >
            Mark as not complete
          </button>
        </>
      ) : (
        <>
          <p className="text-sm text-muted">Worked through it and tried the exercises?</p>
          <button
            type="submit"
            name="intent"
            value="complete"
            className="ml-auto rounded-lg bg-accent px-4 py-2 font-semibold text-on-accent hover:bg-accent-strong"
          >
            Mark as complete
          </button>
        </>
      )}
    </Form>
  );
}

function LockedLecture({
  opening,
  toc,
  signedIn,
  moduleUrl,
  outline,
  loginUrl,
}: {
  /** Set when the student is enrolled and the module opens later for their cohort. */
  opening: { opensAt: string; timezone: string } | null;
  toc: TocEntry[];
  signedIn: boolean;
  moduleUrl: string;
  loginUrl: string;
  outline: Array<{ slug: string; title: string; freePreview: boolean }>;
}) {
  const preview = outline.find((item) => item.freePreview);
  return (
    <section aria-labelledby="locked-heading" className="mt-8 max-w-3xl rounded-2xl border border-line bg-surface p-6">
      <h2 id="locked-heading" className="flex items-center gap-2 text-lg font-semibold">
        <LockIcon className="size-5 text-accent-strong" />{" "}
        {opening ? "This lecture opens with its module" : "This lecture is for enrolled students"}
      </h2>
      {opening ? (
        <p className="mt-2 text-muted">
          Opens on <time dateTime={opening.opensAt}>{formatInZone(opening.opensAt, opening.timezone)}</time>, on your
          cohort's schedule. Free preview lectures are open now.
        </p>
      ) : (
        <p className="mt-2 text-muted">
          Enrolled students get every lecture, its exercises and the module's project. Free preview lectures are open to
          everyone.
        </p>
      )}
      {toc.length > 0 ? (
        <>
          <h3 className="mt-5 text-sm font-semibold">What this lecture covers</h3>
          <ul className="mt-2 list-disc space-y-1 pl-5 text-sm">
            {toc
              .filter((entry) => entry.depth === 2)
              .map((entry) => (
                <li key={entry.id}>{entry.text}</li>
              ))}
          </ul>
        </>
      ) : null}
      <div className="mt-6 flex flex-wrap gap-3">
        {signedIn ? null : (
          <Link
            to={loginUrl}
            className="rounded-lg bg-accent px-4 py-2 font-semibold text-on-accent hover:bg-accent-strong"
          >
            Log in to continue
          </Link>
        )}
        {preview ? (
          <Link
            to={`${moduleUrl}/${preview.slug}`}
            className="rounded-lg border border-line px-4 py-2 font-medium hover:bg-surface-2"
          >
            Read the free preview: {preview.title}
          </Link>
        ) : null}
      </div>
    </section>
  );
}

function TableOfContents({ toc }: { toc: TocEntry[] }) {
  return (
    <ul className="mt-3 space-y-1.5 text-sm">
      {toc.map((entry) => (
        <li key={entry.id} className={entry.depth === 3 ? "pl-4" : undefined}>
          <a href={`#${entry.id}`} className="text-muted hover:text-ink">
            {entry.text}
          </a>
        </li>
      ))}
    </ul>
  );
}

function Neighbour({ link, direction }: { link: LectureLink; direction: "previous" | "next" }) {
  const isNext = direction === "next";
  return (
    <Link
      to={`/modules/${link.moduleSlug}/${link.lectureSlug}`}
      rel={isNext ? "next" : "prev"}
      className={`group rounded-xl border border-line p-4 transition hover:border-accent ${isNext ? "text-right sm:col-start-2" : ""}`}
    >
      <span className={`flex items-center gap-1.5 text-sm text-muted ${isNext ? "justify-end" : ""}`}>
        {isNext ? null : <ArrowLeftIcon className="size-4" />}
        {isNext ? "Next" : "Previous"}
        {isNext ? <ArrowRightIcon className="size-4" /> : null}
      </span>
      <span className="mt-1 block font-semibold group-hover:text-accent-strong">{link.lectureTitle}</span>
      <span className="mt-0.5 block text-xs text-muted">{link.moduleTitle}</span>
    </Link>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
