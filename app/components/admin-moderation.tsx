import { Form, Link, useNavigation } from "@remix-run/react";
import type { ReactNode } from "react";
import type { ModerationQueues } from "../../db/queries/admin-moderation.ts";
import { discussionPostUrl } from "../../db/queries/discussion-limits.ts";
import { formatWhen } from "~/components/project-submission-card";

// The moderation page's pieces. Every action is a plain form POST with an `intent`, so the
// page works without JavaScript; all of them can be undone from this page.

type ReportedPost = ModerationQueues["reported"][number];
type HiddenPost = ModerationQueues["hidden"][number];
type LockedThread = ModerationQueues["locked"][number];
type QueuedPost = ReportedPost | HiddenPost;

/** Stored timestamps are unix seconds. */
const when = (seconds: number) => formatWhen(seconds * 1000);

const threadUrl = (thread: { moduleSlug: string; lectureSlug: string }) =>
  `/modules/${thread.moduleSlug}/${thread.lectureSlug}/discussion`;

/** A submit button that names its intent and shows that it is being sent. */
function IntentButton({
  intent,
  pending,
  primary = false,
  children,
}: {
  intent: string;
  pending: string;
  primary?: boolean;
  children: ReactNode;
}) {
  const navigation = useNavigation();
  const sending = navigation.state === "submitting" && navigation.formData?.get("intent") === intent;
  const style = primary ? "bg-accent text-on-accent hover:bg-accent-strong" : "border border-line hover:bg-surface-2";
  return (
    <button
      type="submit"
      name="intent"
      value={intent}
      disabled={navigation.state === "submitting"}
      className={`rounded-lg px-3 py-1.5 text-sm font-medium disabled:opacity-60 ${style}`}
    >
      {sending ? pending : children}
    </button>
  );
}

function Badge({ children }: { children: ReactNode }) {
  return <span className="rounded-full bg-surface-2 px-2 py-0.5 text-xs font-medium text-muted">{children}</span>;
}

/** Who wrote the post, where, and its state; then the post as the thread shows it. */
function PostSummary({ post, headingId }: { post: QueuedPost; headingId: string }) {
  return (
    <>
      <h3 id={headingId} className="flex flex-wrap items-center gap-x-2 gap-y-1 text-base font-semibold">
        <span>
          {post.authorName}
          {post.isReply ? "'s reply" : "'s post"} in{" "}
          <Link
            to={discussionPostUrl(post.moduleSlug, post.lectureSlug, post.postId)}
            className="text-accent-strong underline"
          >
            {post.lectureTitle}
          </Link>
        </span>
        {post.hidden ? <Badge>Hidden</Badge> : null}
        {post.deleted ? <Badge>Deleted by its author</Badge> : null}
        {post.threadLocked ? <Badge>Thread locked</Badge> : null}
      </h3>
      <p className="mt-1 text-sm text-muted">
        {post.moduleTitle} · {post.authorEmail} · posted {when(post.postedAt)}
      </p>
      {/* Stored already sanitised by the markdown pipeline when it was posted. */}
      <div
        className="prose mt-3 max-w-none rounded-lg border border-line bg-canvas p-4 text-sm"
        dangerouslySetInnerHTML={{ __html: post.bodyHtml }}
      />
    </>
  );
}

/** The post's ids, which every action on it sends. */
function PostFields({ post }: { post: QueuedPost }) {
  return (
    <>
      <input type="hidden" name="postId" value={post.postId} />
      <input type="hidden" name="lectureId" value={post.lectureId} />
    </>
  );
}

export function ReportedPostCard({ post }: { post: ReportedPost }) {
  const headingId = `reported-${post.postId}`;
  return (
    <article aria-labelledby={headingId} className="rounded-2xl border border-line bg-surface p-5">
      <PostSummary post={post} headingId={headingId} />
      <h4 className="mt-4 text-sm font-semibold">
        {post.reportCount === 1 ? "1 report" : `${post.reportCount} reports`}, first {when(post.firstReportedAt)}
      </h4>
      <ul className="mt-2 space-y-2 text-sm">
        {post.reports.map((report) => (
          <li key={report.id} className="rounded-lg bg-surface-2 px-3 py-2">
            <p className="break-words whitespace-pre-line">{report.reason}</p>
            <p className="mt-1 text-xs text-muted">
              {report.reporterName} · {when(report.reportedAt)}
            </p>
          </li>
        ))}
      </ul>
      <Form method="post" className="mt-4 flex flex-wrap gap-2">
        <PostFields post={post} />
        {post.hidden ? null : (
          <IntentButton intent="hide" pending="Hiding…" primary>
            Hide post
          </IntentButton>
        )}
        <IntentButton intent="dismiss" pending="Dismissing…">
          {post.hidden ? "Close reports" : "Dismiss reports"}
        </IntentButton>
        <IntentButton intent={post.threadLocked ? "unlock" : "lock"} pending="Saving…">
          {post.threadLocked ? "Unlock thread" : "Lock thread"}
        </IntentButton>
      </Form>
    </article>
  );
}

export function HiddenPostCard({ post }: { post: HiddenPost }) {
  const headingId = `hidden-${post.postId}`;
  return (
    <article aria-labelledby={headingId} className="rounded-2xl border border-line bg-surface p-5">
      <PostSummary post={post} headingId={headingId} />
      <div className="mt-4 flex flex-wrap items-center justify-between gap-3">
        <p className="text-sm text-muted">
          Hidden {when(post.hiddenAt)}
          {post.hiddenByName ? ` by ${post.hiddenByName}` : ""}. Students do not see it.
        </p>
        <Form method="post">
          <PostFields post={post} />
          <IntentButton intent="restore" pending="Restoring…">
            Restore
          </IntentButton>
        </Form>
      </div>
    </article>
  );
}

const TH = "px-4 py-3 font-medium";

export function LockedThreadsTable({ threads }: { threads: LockedThread[] }) {
  return (
    <div className="overflow-x-auto rounded-2xl border border-line bg-surface">
      <table className="w-full text-left text-sm">
        <caption className="sr-only">Locked discussion threads, most recently locked first</caption>
        <thead className="border-b border-line text-muted">
          <tr>
            <th scope="col" className={TH}>
              Lecture
            </th>
            <th scope="col" className={TH}>
              Locked
            </th>
            <th scope="col" className={TH}>
              <span className="sr-only">Action</span>
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-line">
          {threads.map((thread) => (
            <tr key={thread.lectureId}>
              <td className="px-4 py-3">
                <Link to={threadUrl(thread)} className="font-medium text-accent-strong underline">
                  {thread.lectureTitle}
                </Link>
                <span className="block text-muted">{thread.moduleTitle}</span>
              </td>
              <td className="px-4 py-3 text-muted">
                {when(thread.lockedAt)}
                {thread.lockedByName ? ` by ${thread.lockedByName}` : ""}
              </td>
              <td className="px-4 py-3 text-right">
                <Form method="post">
                  <input type="hidden" name="lectureId" value={thread.lectureId} />
                  <IntentButton intent="unlock" pending="Unlocking…">
                    Unlock
                  </IntentButton>
                </Form>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** "Showing 50 of 73." under a list that was cut short. */
export function ShownOf({ shown, total }: { shown: number; total: number }) {
  if (shown >= total) return null;
  return (
    <p className="mt-3 text-sm text-muted">
      Showing {shown} of {total}.
    </p>
  );
}
