import { Form, Link } from "@remix-run/react";
import type { ReactNode } from "react";
import type { ThreadPost } from "../../db/queries/discussions.ts";
import { DiscussionComposer } from "~/components/discussion-composer";
import { Alert } from "~/components/form";
import type { FormState } from "~/lib/forms";

const dateTime = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

export type DiscussionViewer = {
  signedIn: boolean;
  admin: boolean;
  /** May post and reply here: can read the lecture, signed in, and the thread is open (or an admin). */
  canPost: boolean;
};

/** The reply form a "Quote" link opened, prefilled with the quoted text. */
export type OpenReply = { parentId: number; quotedPostId: number; body: string };

type PostProps = {
  post: ThreadPost & { replies?: ThreadPost[] };
  viewer: DiscussionViewer;
  /** The failed submission of a form on this page, by form key (`reply-12`, `edit-7`…). */
  failed: (key: string) => FormState | undefined;
  /** A link to this page that opens the reply form under `replyTo`, quoting `postId`. */
  quoteUrl: (postId: number, replyTo: number) => string;
  openReply: OpenReply | null;
};

/** A post (or reply) of a lecture's thread with what the viewer may do to it. */
export function DiscussionPost({ post, viewer, failed, quoteUrl, openReply }: PostProps) {
  const isReply = post.parentId !== null;
  const replyTo = post.parentId ?? post.id;
  const stamp = (seconds: number) => new Date(seconds * 1000);

  return (
    <article
      id={`post-${post.id}`}
      aria-labelledby={`post-${post.id}-author`}
      className={`scroll-mt-24 rounded-xl border p-4 sm:p-5 ${
        post.pinned ? "border-accent bg-surface" : "border-line bg-surface"
      } ${post.hidden ? "opacity-75" : ""}`}
    >
      <header className="flex flex-wrap items-center gap-x-2 gap-y-1 text-sm">
        <span id={`post-${post.id}-author`} className="font-semibold">
          {post.deleted ? "Deleted post" : post.authorName}
        </span>
        {post.authorIsStaff && !post.deleted ? <Badge tone="accent">Staff</Badge> : null}
        {post.pinned ? <Badge tone="accent">Pinned</Badge> : null}
        {post.hidden ? <Badge tone="warning">Hidden</Badge> : null}
        <span className="text-muted">
          <time dateTime={stamp(post.createdAt).toISOString()}>{dateTime.format(stamp(post.createdAt))} UTC</time>
          {post.editedAt && !post.deleted ? (
            <>
              {" · "}
              <time dateTime={stamp(post.editedAt).toISOString()} title={dateTime.format(stamp(post.editedAt))}>
                edited
              </time>
            </>
          ) : null}
        </span>
      </header>

      {post.deleted ? (
        <p className="mt-2 text-sm text-muted italic">This post was deleted.</p>
      ) : (
        <>
          {post.quotedPostId !== null ? (
            <blockquote className="mt-3 border-l-4 border-line pl-3 text-sm text-muted">
              {post.quotedAuthor ? (
                <>
                  <p className="font-medium">
                    <a href={`#post-${post.quotedPostId}`} className="hover:underline">
                      {`${post.quotedAuthor} wrote:`}
                    </a>
                  </p>
                  <p className="mt-1 line-clamp-3 whitespace-pre-line">{post.quotedExcerpt}</p>
                </>
              ) : (
                <p className="italic">Quoted a post that was removed.</p>
              )}
            </blockquote>
          ) : null}
          <div
            className="prose mt-3 max-w-none text-[0.95rem]"
            dangerouslySetInnerHTML={{ __html: post.bodyHtml ?? "" }}
          />
        </>
      )}

      {post.deleted ? null : (
        <PostActions post={post} viewer={viewer} failed={failed} quoteUrl={quoteUrl} replyTo={replyTo} />
      )}

      {isReply ? null : (
        <>
          {post.replies && post.replies.length > 0 ? (
            <ol
              aria-label={`Replies to ${post.deleted ? "a deleted post" : post.authorName}`}
              className="mt-4 space-y-3 border-l-2 border-line pl-3 sm:pl-5"
            >
              {post.replies.map((reply) => (
                <li key={reply.id}>
                  <DiscussionPost post={reply} viewer={viewer} failed={failed} quoteUrl={quoteUrl} openReply={null} />
                </li>
              ))}
            </ol>
          ) : null}
          {viewer.canPost && !post.deleted && !post.hidden ? (
            <ReplyForm parentId={post.id} failed={failed(`reply-${post.id}`)} openReply={openReply} />
          ) : null}
        </>
      )}
    </article>
  );
}

function ReplyForm({
  parentId,
  failed,
  openReply,
}: {
  parentId: number;
  failed: FormState | undefined;
  openReply: OpenReply | null;
}) {
  const quoting = openReply?.parentId === parentId ? openReply : null;
  const quotedPostId = failed ? Number(failed.fields.quotedPostId) || undefined : quoting?.quotedPostId;
  return (
    <details id={`reply-${parentId}`} open={Boolean(failed || quoting)} className="mt-4 scroll-mt-24">
      <summary className="cursor-pointer text-sm font-medium text-accent-strong">Reply</summary>
      <div className="mt-3">
        <DiscussionComposer
          id={`reply-body-${parentId}`}
          intent="reply"
          label="Your reply"
          submitLabel="Post reply"
          hidden={{ parentId, quotedPostId }}
          defaultValue={failed?.fields.body ?? quoting?.body}
          error={failed?.errors.body}
          formError={failed?.formError}
        />
      </div>
    </details>
  );
}

function PostActions({
  post,
  viewer,
  failed,
  quoteUrl,
  replyTo,
}: {
  post: ThreadPost;
  viewer: DiscussionViewer;
  failed: PostProps["failed"];
  quoteUrl: PostProps["quoteUrl"];
  replyTo: number;
}) {
  const editFailed = failed(`edit-${post.id}`);
  const reportFailed = failed(`report-${post.id}`);
  const postFailed = failed(`post-${post.id}`);
  const canDelete = post.editable || viewer.admin;
  const canReact = viewer.signedIn && !post.mine && !post.hidden;

  return (
    <div className="mt-3 space-y-3">
      {postFailed?.formError ? <Alert tone="error">{postFailed.formError}</Alert> : null}
      <div className="flex flex-wrap items-center gap-2 text-sm">
        {canReact ? (
          <PostButton
            postId={post.id}
            intent={post.voted ? "unvote" : "upvote"}
            pressed={post.voted}
            label={`${post.voted ? "Remove your upvote" : "Upvote"}: ${post.votes} ${post.votes === 1 ? "upvote" : "upvotes"}`}
          >
            <span aria-hidden="true">▲ {post.votes}</span>
          </PostButton>
        ) : (
          <span className="px-2 py-1 text-muted">
            <span aria-hidden="true">▲ </span>
            {post.votes} {post.votes === 1 ? "upvote" : "upvotes"}
          </span>
        )}
        {viewer.canPost && !post.hidden ? (
          <Link
            to={quoteUrl(post.id, replyTo)}
            preventScrollReset
            className="rounded-md px-2 py-1 text-muted hover:bg-surface-2 hover:text-ink"
            aria-label={`Quote ${post.authorName} in a reply`}
          >
            Quote
          </Link>
        ) : null}
        {canDelete ? (
          <PostButton postId={post.id} intent="delete" label={`Delete this post by ${post.authorName}`}>
            Delete
          </PostButton>
        ) : null}
        {viewer.admin ? (
          <>
            {post.parentId === null ? (
              <PostButton postId={post.id} intent={post.pinned ? "unpin" : "pin"}>
                {post.pinned ? "Unpin" : "Pin"}
              </PostButton>
            ) : null}
            <PostButton postId={post.id} intent={post.hidden ? "unhide" : "hide"}>
              {post.hidden ? "Unhide" : "Hide"}
            </PostButton>
          </>
        ) : null}
      </div>

      {post.editable && post.ownMarkdown !== null ? (
        <details open={Boolean(editFailed)}>
          <summary className="cursor-pointer text-sm font-medium text-accent-strong">Edit</summary>
          <p className="mt-1 text-xs text-muted">You can edit or delete a post for 15 minutes after posting it.</p>
          <div className="mt-3">
            <DiscussionComposer
              id={`edit-body-${post.id}`}
              intent="edit"
              label="Edit your post"
              submitLabel="Save changes"
              hidden={{ postId: post.id }}
              defaultValue={editFailed?.fields.body ?? post.ownMarkdown}
              error={editFailed?.errors.body}
              formError={editFailed?.formError}
            />
          </div>
        </details>
      ) : null}

      {canReact ? (
        <details open={Boolean(reportFailed)}>
          <summary className="cursor-pointer text-sm text-muted hover:text-ink">Report</summary>
          <Form method="post" preventScrollReset className="mt-3 space-y-2">
            <input type="hidden" name="intent" value="report" />
            <input type="hidden" name="postId" value={post.id} />
            {reportFailed?.formError ? <Alert tone="error">{reportFailed.formError}</Alert> : null}
            <label htmlFor={`report-reason-${post.id}`} className="block text-sm font-medium">
              What is wrong with this post?
            </label>
            <input
              id={`report-reason-${post.id}`}
              name="reason"
              type="text"
              defaultValue={reportFailed?.fields.reason}
              aria-invalid={reportFailed?.errors.reason ? true : undefined}
              aria-describedby={reportFailed?.errors.reason ? `report-reason-${post.id}-error` : undefined}
              className="block w-full rounded-lg border border-line bg-surface px-3 py-2 text-sm aria-invalid:border-red-600 dark:aria-invalid:border-red-400"
            />
            {reportFailed?.errors.reason ? (
              <p id={`report-reason-${post.id}-error`} className="text-sm text-red-700 dark:text-red-400">
                {reportFailed.errors.reason}
              </p>
            ) : null}
            <button
              type="submit"
              className="rounded-lg border border-line px-3 py-1.5 text-sm font-medium hover:bg-surface-2"
            >
              Send report to the teachers
            </button>
          </Form>
        </details>
      ) : null}
    </div>
  );
}

/** A one-button form acting on a post. */
function PostButton({
  postId,
  intent,
  label,
  pressed,
  children,
}: {
  postId: number;
  intent: string;
  label?: string;
  pressed?: boolean;
  children: ReactNode;
}) {
  return (
    <Form method="post" preventScrollReset>
      <input type="hidden" name="postId" value={postId} />
      <button
        type="submit"
        name="intent"
        value={intent}
        aria-label={label}
        aria-pressed={pressed}
        className={`rounded-md border px-2 py-1 hover:bg-surface-2 ${
          pressed ? "border-accent font-semibold text-accent-strong" : "border-line text-muted hover:text-ink"
        }`}
      >
        {children}
      </button>
    </Form>
  );
}

function Badge({ tone, children }: { tone: "accent" | "warning"; children: ReactNode }) {
  const colours =
    tone === "accent"
      ? "bg-accent-soft text-accent-strong"
      : "bg-amber-100 text-amber-900 dark:bg-amber-950 dark:text-amber-200";
  return <span className={`rounded-full px-2 py-0.5 text-xs font-medium ${colours}`}>{children}</span>;
}
