import { and, asc, desc, eq, inArray, isNull, sql, type SQL } from "drizzle-orm";
import { alias, type AnySQLiteColumn } from "drizzle-orm/sqlite-core";
import type { CurrentUser } from "../../worker/auth/context.ts";
import { renderMarkdown } from "../../worker/markdown/render.ts";
import { batchable, type Database } from "../client.ts";
import {
  discussionPosts,
  discussionReports,
  discussionThreads,
  discussionVotes,
  lectures,
  modules,
  notifications,
  users,
} from "../schema.ts";
import { lectureOpenSql, readableLectureSql, type ReleaseSchedule, type Viewer } from "./access.ts";
import {
  DISCUSSION_EDIT_WINDOW_SECONDS,
  DISCUSSION_PAGE_SIZE,
  discussionPostUrl,
  type DiscussionSort,
} from "./discussion-limits.ts";
import { assertAdmin } from "./admin-guard.ts";
import { auditStatement } from "./audit.ts";
import { auditTarget, isAbortedByAuditTarget } from "./audit-target.ts";

// A lecture's discussion is exactly as open as the lecture: every read and write embeds the
// lecture's access rule in its SQL, so a locked lecture's thread is locked too. Hidden
// posts exist only for admins; deleted ones stay as tombstones while replies hang off them.

const EXCERPT_LENGTH = 240;
const NOTIFICATIONS_SHOWN = 50;

const isAdmin = (viewer: Viewer) => viewer?.role === "admin";

/** True for posts (`table` is the SQL name of a posts table in scope) the viewer may see at all. */
function notHiddenSql(viewer: Viewer, table: SQL): SQL {
  return isAdmin(viewer) ? sql`1` : sql`${table}.hidden_at is null`;
}

/** The id of the lecture the slugs name, or null when it is unpublished or the viewer may not read it. */
function readableLectureIdSql(
  viewer: Viewer,
  schedule: ReleaseSchedule,
  moduleSlug: string,
  lectureSlug: string,
): SQL<number | null> {
  return sql`(select lectures.id from lectures join modules on modules.id = lectures.module_id
    where modules.slug = ${moduleSlug} and lectures.slug = ${lectureSlug}
      and lectures.published = 1 and modules.published = 1 and ${lectureOpenSql(viewer, schedule)})`;
}

/** Students may post while the thread is unlocked; admins always. Expects `lectures` in scope. */
function threadOpenSql(actor: CurrentUser): SQL {
  if (actor.role === "admin") return sql`1`;
  return sql`not exists (select 1 from discussion_threads
    where discussion_threads.lecture_id = lectures.id and discussion_threads.locked_at is not null)`;
}

/** The posts table or an alias of it (the columns the thread's conditions use). */
type PostsTable = Record<
  "id" | "lectureId" | "parentId" | "hiddenAt" | "deletedAt" | "pinnedAt" | "createdAt",
  AnySQLiteColumn
>;

/**
 * Top-level posts the viewer sees in the thread: not hidden (unless admin), and not deleted
 * unless a visible reply still hangs off them (then they show as a tombstone).
 */
function topLevelSql(viewer: Viewer, posts: PostsTable, lectureId: SQL): SQL | undefined {
  return and(
    sql`${posts.lectureId} = ${lectureId}`,
    isNull(posts.parentId),
    isAdmin(viewer) ? undefined : isNull(posts.hiddenAt),
    sql`(${posts.deletedAt} is null or exists (select 1 from discussion_posts reply
      where reply.parent_id = ${posts.id} and reply.deleted_at is null and ${notHiddenSql(viewer, sql`reply`)}))`,
  );
}

const voteCountSql = (posts: PostsTable) =>
  sql<number>`(select count(*) from discussion_votes where discussion_votes.post_id = ${posts.id})`;

/** Pinned first, then by votes (for `top`), then newest. */
function threadOrder(posts: PostsTable, sort: DiscussionSort): SQL[] {
  return [
    sql`${posts.pinnedAt} is null`,
    ...(sort === "top" ? [sql`${voteCountSql(posts)} desc`] : []),
    desc(posts.createdAt),
    desc(posts.id),
  ];
}

/** What the thread shows of one post: its body only when not deleted, its markdown only to its author. */
function postFields(viewer: Viewer) {
  const me = viewer?.id ?? "";
  const quoted = (column: SQL) => sql`(select ${column} from discussion_posts quoted join users quoted_author
      on quoted_author.id = quoted.user_id
    where quoted.id = ${discussionPosts.quotedPostId} and quoted.deleted_at is null
      and ${notHiddenSql(viewer, sql`quoted`)})`;
  return {
    id: discussionPosts.id,
    parentId: discussionPosts.parentId,
    authorName: sql<string>`${users.name}`.as("author_name"),
    authorIsStaff: sql<boolean>`${users.role} = 'admin'`.mapWith(Boolean).as("author_is_staff"),
    createdAt: sql<number>`${discussionPosts.createdAt}`.mapWith(Number).as("created_seconds"),
    editedAt: sql<number | null>`${discussionPosts.editedAt}`.as("edited_seconds"),
    pinned: sql<boolean>`${discussionPosts.pinnedAt} is not null`.mapWith(Boolean).as("pinned"),
    hidden: sql<boolean>`${discussionPosts.hiddenAt} is not null`.mapWith(Boolean).as("hidden"),
    deleted: sql<boolean>`${discussionPosts.deletedAt} is not null`.mapWith(Boolean).as("deleted"),
    bodyHtml: sql<
      string | null
    >`case when ${discussionPosts.deletedAt} is null then ${discussionPosts.bodyHtml} end`.as("body_html_shown"),
    ownMarkdown: sql<
      string | null
    >`case when ${discussionPosts.userId} = ${me} and ${discussionPosts.deletedAt} is null then ${discussionPosts.bodyMarkdown} end`.as(
      "own_markdown",
    ),
    votes: voteCountSql(discussionPosts).mapWith(Number).as("votes"),
    voted: sql<boolean>`exists (select 1 from discussion_votes
      where discussion_votes.post_id = ${discussionPosts.id} and discussion_votes.user_id = ${me})`
      .mapWith(Boolean)
      .as("voted"),
    mine: sql<boolean>`${discussionPosts.userId} = ${me}`.mapWith(Boolean).as("mine"),
    /** Inside the author's edit window (the writes check it again, in SQL). */
    editable: sql<boolean>`${discussionPosts.userId} = ${me} and ${discussionPosts.deletedAt} is null
      and ${discussionPosts.createdAt} > unixepoch() - ${DISCUSSION_EDIT_WINDOW_SECONDS}`
      .mapWith(Boolean)
      .as("editable"),
    quotedPostId: discussionPosts.quotedPostId,
    quotedAuthor: sql<string | null>`${quoted(sql`quoted_author.name`)}`.as("quoted_author"),
    quotedExcerpt: sql<string | null>`${quoted(sql`substr(quoted.body_markdown, 1, ${EXCERPT_LENGTH})`)}`.as(
      "quoted_excerpt",
    ),
  };
}

/** Posts with their authors, as the thread shows them. */
function selectPosts(db: Database, viewer: Viewer) {
  return db.select(postFields(viewer)).from(discussionPosts).innerJoin(users, eq(users.id, discussionPosts.userId));
}

export type ThreadPost = Awaited<ReturnType<typeof selectPosts>>[number];
export type ThreadTopPost = ThreadPost & { replies: ThreadPost[] };

export type ThreadQuery = {
  moduleSlug: string;
  lectureSlug: string;
  sort: DiscussionSort;
  /** 1-based. */
  page: number;
  /** A post to quote in a reply (`?quote=`), if any. */
  quote?: number;
};

/**
 * A page of a lecture's thread in one round trip: the lecture and the thread's lock, the
 * page's top-level posts, their replies, the number of pages, and the post being quoted.
 * The schedule is the viewer's drip schedule (`loadReleaseSchedule`). Null when the lecture
 * does not exist; `open: false` (and no posts) when the viewer may not read it.
 */
export async function getDiscussionThread(db: Database, viewer: Viewer, schedule: ReleaseSchedule, query: ThreadQuery) {
  const lectureId = readableLectureIdSql(viewer, schedule, query.moduleSlug, query.lectureSlug);
  const topPost = alias(discussionPosts, "top_post");
  const offset = (query.page - 1) * DISCUSSION_PAGE_SIZE;

  const [lectureRows, topRows, replyRows, countRows, quoteRows] = await db.batch([
    db
      .select({
        id: lectures.id,
        slug: lectures.slug,
        title: lectures.title,
        freePreview: lectures.freePreview,
        moduleId: sql<number>`${modules.id}`.as("module_id_of_lecture"),
        moduleSlug: sql<string>`${modules.slug}`.as("module_slug"),
        moduleTitle: sql<string>`${modules.title}`.as("module_title"),
        open: lectureOpenSql(viewer, schedule).mapWith(Boolean).as("open"),
        locked: sql<boolean>`${discussionThreads.lockedAt} is not null`.mapWith(Boolean).as("locked"),
      })
      .from(lectures)
      .innerJoin(modules, eq(lectures.moduleId, modules.id))
      .leftJoin(discussionThreads, eq(discussionThreads.lectureId, lectures.id))
      .where(
        and(
          eq(modules.slug, query.moduleSlug),
          eq(lectures.slug, query.lectureSlug),
          eq(lectures.published, true),
          eq(modules.published, true),
        ),
      )
      .limit(1),
    selectPosts(db, viewer)
      .where(topLevelSql(viewer, discussionPosts, lectureId))
      .orderBy(...threadOrder(discussionPosts, query.sort))
      .limit(DISCUSSION_PAGE_SIZE)
      .offset(offset),
    selectPosts(db, viewer)
      .where(
        and(
          inArray(
            discussionPosts.parentId,
            db
              .select({ id: topPost.id })
              .from(topPost)
              .where(topLevelSql(viewer, topPost, lectureId))
              .orderBy(...threadOrder(topPost, query.sort))
              .limit(DISCUSSION_PAGE_SIZE)
              .offset(offset),
          ),
          isNull(discussionPosts.deletedAt),
          isAdmin(viewer) ? undefined : isNull(discussionPosts.hiddenAt),
        ),
      )
      .orderBy(asc(discussionPosts.createdAt), asc(discussionPosts.id)),
    db
      .select({ total: sql<number>`count(*)`.mapWith(Number) })
      .from(discussionPosts)
      .where(topLevelSql(viewer, discussionPosts, lectureId)),
    db
      .select({
        id: discussionPosts.id,
        parentId: discussionPosts.parentId,
        markdown: discussionPosts.bodyMarkdown,
        authorName: sql<string>`${users.name}`.as("quote_author_name"),
      })
      .from(discussionPosts)
      .innerJoin(users, eq(users.id, discussionPosts.userId))
      .where(
        and(
          eq(discussionPosts.id, query.quote ?? 0),
          sql`${discussionPosts.lectureId} = ${lectureId}`,
          isNull(discussionPosts.deletedAt),
          isAdmin(viewer) ? undefined : isNull(discussionPosts.hiddenAt),
        ),
      ),
  ]);

  const lecture = lectureRows[0];
  if (!lecture) return null;
  const repliesByParent = new Map<number, ThreadPost[]>();
  for (const reply of replyRows) {
    const list = repliesByParent.get(reply.parentId!) ?? [];
    list.push(reply);
    repliesByParent.set(reply.parentId!, list);
  }
  const total = countRows[0]?.total ?? 0;
  const quote = quoteRows[0];
  return {
    lecture,
    posts: topRows.map((post): ThreadTopPost => ({ ...post, replies: repliesByParent.get(post.id) ?? [] })),
    total,
    pageCount: Math.max(1, Math.ceil(total / DISCUSSION_PAGE_SIZE)),
    quote: quote
      ? {
          id: quote.id,
          /** Replies go under top-level posts: quoting a reply answers its parent. */
          replyTo: quote.parentId ?? quote.id,
          authorName: quote.authorName,
          markdown: quote.markdown,
        }
      : null,
  };
}

/** The lecture the slugs name, whether the actor may read it, and whether its thread is locked. */
export async function getDiscussionAccess(
  db: Database,
  viewer: Viewer,
  schedule: ReleaseSchedule,
  moduleSlug: string,
  lectureSlug: string,
) {
  const [row] = await db
    .select({
      lectureId: lectures.id,
      open: lectureOpenSql(viewer, schedule).mapWith(Boolean).as("open"),
      locked: sql<boolean>`${discussionThreads.lockedAt} is not null`.mapWith(Boolean).as("locked"),
    })
    .from(lectures)
    .innerJoin(modules, eq(lectures.moduleId, modules.id))
    .leftJoin(discussionThreads, eq(discussionThreads.lectureId, lectures.id))
    .where(
      and(
        eq(modules.slug, moduleSlug),
        eq(lectures.slug, lectureSlug),
        eq(lectures.published, true),
        eq(modules.published, true),
      ),
    )
    .limit(1);
  return row ?? null;
}

export type NewDiscussionPost = {
  lectureId: number;
  body: string;
  /** A top-level post of the same lecture; absent for a new top-level post. */
  parentId?: number;
  /** A visible post of the same lecture. */
  quotedPostId?: number;
};

/**
 * Posts to a lecture's thread the actor may read, rendering the markdown once, here. One
 * batch: the post (written only if the lecture is readable, the thread is open or the actor
 * is an admin, and the parent and quoted posts are visible posts of the same lecture) and a
 * `reply` notification for the parent's and the quoted post's authors (never for yourself).
 * Returns the new post's id, or null when any condition failed and nothing was written.
 */
export async function createDiscussionPost(
  db: Database,
  actor: CurrentUser,
  schedule: ReleaseSchedule,
  input: NewDiscussionPost,
): Promise<number | null> {
  const { html } = renderMarkdown(input.body);
  const parentId = input.parentId ?? null;
  const quotedPostId = input.quotedPostId ?? null;
  const [inserted] = await db.batch([
    batchable(
      db,
      db.run(sql`
      insert into discussion_posts (lecture_id, user_id, parent_id, quoted_post_id, body_markdown, body_html)
      select lectures.id, ${actor.id}, ${parentId}, ${quotedPostId}, ${input.body}, ${html}
      ${readableLectureSql(actor, input.lectureId, schedule)}
        and ${threadOpenSql(actor)}
        and (${parentId} is null or exists (select 1 from discussion_posts parent
          where parent.id = ${parentId} and parent.lecture_id = lectures.id and parent.parent_id is null
            and parent.deleted_at is null and ${notHiddenSql(actor, sql`parent`)}))
        and (${quotedPostId} is null or exists (select 1 from discussion_posts quoted
          where quoted.id = ${quotedPostId} and quoted.lecture_id = lectures.id
            and quoted.deleted_at is null and ${notHiddenSql(actor, sql`quoted`)}))`),
    ),
    // Runs right after the insert in the same transaction: changes() and last_insert_rowid()
    // describe that insert, so nothing is notified when it wrote nothing.
    batchable(
      db,
      db.run(sql`
      insert into notifications (user_id, kind, post_id, actor_id)
      select distinct recipient.user_id, 'reply', new_post.id, ${actor.id}
      from discussion_posts new_post
      join discussion_posts recipient on recipient.id in (new_post.parent_id, new_post.quoted_post_id)
      where changes() = 1 and new_post.id = last_insert_rowid() and new_post.user_id = ${actor.id}
        and recipient.user_id != ${actor.id}`),
    ),
  ]);
  return inserted.meta.changes > 0 ? Number(inserted.meta.last_row_id) : null;
}

/** True for the actor's own, live post, inside the edit window, in a lecture they may read. Expects `discussion_posts`. */
function ownPostInWindowSql(actor: CurrentUser, lectureId: number, schedule: ReleaseSchedule): SQL {
  return sql`discussion_posts.user_id = ${actor.id} and discussion_posts.deleted_at is null
    and discussion_posts.created_at > unixepoch() - ${DISCUSSION_EDIT_WINDOW_SECONDS}
    and discussion_posts.lecture_id in (select lectures.id ${readableLectureSql(actor, lectureId, schedule)})`;
}

/** Re-renders the actor's own post within the edit window (not in a locked thread, unless admin). */
export async function editOwnDiscussionPost(
  db: Database,
  actor: CurrentUser,
  schedule: ReleaseSchedule,
  input: { lectureId: number; postId: number; body: string },
): Promise<boolean> {
  const { html } = renderMarkdown(input.body);
  const result = await db.run(sql`
    update discussion_posts set body_markdown = ${input.body}, body_html = ${html},
      edited_at = unixepoch(), updated_at = unixepoch()
    where discussion_posts.id = ${input.postId} and discussion_posts.hidden_at is null
      and ${ownPostInWindowSql(actor, input.lectureId, schedule)}
      and exists (select 1 from lectures where lectures.id = discussion_posts.lecture_id and ${threadOpenSql(actor)})`);
  return result.meta.changes > 0;
}

/**
 * Deletes (tombstones) the actor's own post within the window. Admins may delete any post:
 * that is moderation, so it is audited and settles the post's open reports.
 */
export async function deleteDiscussionPost(
  db: Database,
  actor: CurrentUser,
  schedule: ReleaseSchedule,
  input: { lectureId: number; postId: number },
): Promise<boolean> {
  if (actor.role === "admin") return moderateDiscussionPost(db, actor, { ...input, action: "delete" });
  const result = await db.run(sql`
    update discussion_posts set deleted_at = unixepoch(), updated_at = unixepoch()
    where discussion_posts.id = ${input.postId} and discussion_posts.deleted_at is null
      and ${ownPostInWindowSql(actor, input.lectureId, schedule)}`);
  return result.meta.changes > 0;
}

/** A live post of a lecture the actor may read, that is not their own. Expects `discussion_posts`. */
function othersVisiblePostSql(actor: CurrentUser, lectureId: number, postId: number, schedule: ReleaseSchedule) {
  return sql`from discussion_posts where discussion_posts.id = ${postId}
    and discussion_posts.user_id != ${actor.id} and discussion_posts.deleted_at is null
    and ${notHiddenSql(actor, sql`discussion_posts`)}
    and discussion_posts.lecture_id in (select lectures.id ${readableLectureSql(actor, lectureId, schedule)})`;
}

/**
 * Upvotes (or takes back the upvote of) someone else's visible post; repeating either
 * changes nothing. True when the vote now stands as asked.
 */
export async function setDiscussionVote(
  db: Database,
  actor: CurrentUser,
  schedule: ReleaseSchedule,
  input: { lectureId: number; postId: number; upvoted: boolean },
): Promise<boolean> {
  if (!input.upvoted) {
    await db
      .delete(discussionVotes)
      .where(and(eq(discussionVotes.userId, actor.id), eq(discussionVotes.postId, input.postId)));
    return true;
  }
  const [, votes] = await db.batch([
    batchable(
      db,
      db.run(sql`insert into discussion_votes (user_id, post_id)
        select ${actor.id}, discussion_posts.id ${othersVisiblePostSql(actor, input.lectureId, input.postId, schedule)}
        on conflict (user_id, post_id) do nothing`),
    ),
    db
      .select({ postId: discussionVotes.postId })
      .from(discussionVotes)
      .where(and(eq(discussionVotes.userId, actor.id), eq(discussionVotes.postId, input.postId))),
  ]);
  return votes.length > 0;
}

/**
 * Reports someone else's post for the admins, once: reporting it again keeps the first
 * report. True when the actor's report is on file.
 */
export async function reportDiscussionPost(
  db: Database,
  actor: CurrentUser,
  schedule: ReleaseSchedule,
  input: { lectureId: number; postId: number; reason: string },
): Promise<boolean> {
  const [, reports] = await db.batch([
    batchable(
      db,
      db.run(sql`insert into discussion_reports (post_id, user_id, reason)
        select discussion_posts.id, ${actor.id}, ${input.reason}
        ${othersVisiblePostSql(actor, input.lectureId, input.postId, schedule)}
        on conflict (post_id, user_id) do nothing`),
    ),
    db
      .select({ id: discussionReports.id })
      .from(discussionReports)
      .where(and(eq(discussionReports.userId, actor.id), eq(discussionReports.postId, input.postId))),
  ]);
  return reports.length > 0;
}

export type ModerationAction = "pin" | "unpin" | "hide" | "unhide" | "delete";

/** Each action: what it changes, which posts it applies to, and how the audit log says it. */
const MODERATION: Record<ModerationAction, { change: (actor: CurrentUser) => SQL; applies: SQL; verb: string }> = {
  pin: {
    change: () => sql`pinned_at = coalesce(pinned_at, unixepoch())`,
    applies: sql`parent_id is null`,
    verb: "Pinned",
  },
  unpin: { change: () => sql`pinned_at = null`, applies: sql`1`, verb: "Unpinned" },
  hide: {
    change: (actor) => sql`hidden_at = coalesce(hidden_at, unixepoch()), hidden_by = coalesce(hidden_by, ${actor.id})`,
    applies: sql`1`,
    verb: "Hid",
  },
  unhide: { change: () => sql`hidden_at = null, hidden_by = null`, applies: sql`1`, verb: "Restored" },
  delete: { change: () => sql`deleted_at = unixepoch()`, applies: sql`deleted_at is null`, verb: "Deleted" },
};

/** Who wrote a post and in which lecture (for the audit log); undefined when it is not in that lecture. */
export function postForModeration(db: Database, input: { lectureId: number; postId: number }) {
  return db
    .select({
      authorName: sql<string>`${users.name}`.as("author_name"),
      lectureTitle: sql<string>`${lectures.title}`.as("lecture_title"),
    })
    .from(discussionPosts)
    .innerJoin(users, eq(users.id, discussionPosts.userId))
    .innerJoin(lectures, eq(lectures.id, discussionPosts.lectureId))
    .where(and(eq(discussionPosts.id, input.postId), eq(discussionPosts.lectureId, input.lectureId)))
    .get();
}

/** Closes a post's open reports: whatever was reported has been dealt with. */
export function resolveReportsStatement(db: Database, postId: number) {
  return db
    .update(discussionReports)
    .set({ resolvedAt: sql`unixepoch()` })
    .where(and(eq(discussionReports.postId, postId), isNull(discussionReports.resolvedAt)));
}

/**
 * Admins pin top-level posts (pinned ones lead the thread), hide posts from students (the
 * post stays, and comes back with `unhide`) and delete any post. Hiding and deleting settle
 * the post's open reports; nobody is notified. One batch with the audit entry, whose target
 * states the precondition: a post that is not in the lecture (or a reply, for `pin`) makes
 * the batch write nothing. False then.
 */
export async function moderateDiscussionPost(
  db: Database,
  actor: CurrentUser,
  input: { lectureId: number; postId: number; action: ModerationAction },
): Promise<boolean> {
  assertAdmin(actor);
  const post = await postForModeration(db, input);
  if (!post) return false;
  const { change, applies, verb } = MODERATION[input.action];
  const target = sql`id = ${input.postId} and lecture_id = ${input.lectureId} and ${applies}`;
  try {
    await db.batch([
      auditStatement(db, actor, {
        action: `discussion.${input.action}`,
        targetType: "discussion_post",
        targetId: auditTarget(sql`select id from discussion_posts where ${target}`),
        summary: `${verb} ${post.authorName}'s post in the discussion of “${post.lectureTitle}”`,
      }),
      batchable(
        db,
        db.run(sql`update discussion_posts set ${change(actor)}, updated_at = unixepoch() where ${target}`),
      ),
      ...(input.action === "hide" || input.action === "delete" ? [resolveReportsStatement(db, input.postId)] : []),
    ]);
    return true;
  } catch (error) {
    if (isAbortedByAuditTarget(error)) return false;
    throw error;
  }
}

/** Admins lock a thread (students can read but not post) and unlock it. False when there is no such lecture. */
export async function setDiscussionLocked(
  db: Database,
  actor: CurrentUser,
  input: { lectureId: number; locked: boolean },
): Promise<boolean> {
  assertAdmin(actor);
  const lecture = await db
    .select({ title: lectures.title })
    .from(lectures)
    .where(eq(lectures.id, input.lectureId))
    .get();
  if (!lecture) return false;
  const lockedAt = input.locked ? sql`unixepoch()` : sql`null`;
  const lockedBy = input.locked ? actor.id : null;
  try {
    await db.batch([
      auditStatement(db, actor, {
        action: input.locked ? "discussion.lock" : "discussion.unlock",
        targetType: "lecture",
        targetId: auditTarget(sql`select id from lectures where id = ${input.lectureId}`),
        summary: `${input.locked ? "Locked" : "Unlocked"} the discussion of “${lecture.title}”`,
      }),
      batchable(
        db,
        db.run(sql`
        insert into discussion_threads (lecture_id, locked_at, locked_by)
        select id, ${lockedAt}, ${lockedBy} from lectures where id = ${input.lectureId}
        on conflict (lecture_id) do update set
          locked_at = excluded.locked_at, locked_by = excluded.locked_by, updated_at = unixepoch()`),
      ),
    ]);
    return true;
  } catch (error) {
    if (isAbortedByAuditTarget(error)) return false;
    throw error;
  }
}

/** Notifications about posts that are gone (deleted or hidden) are not shown. */
const liveNotificationPost = sql`discussion_posts.deleted_at is null and discussion_posts.hidden_at is null`;

/** The actor's newest notifications, each with where it points. */
export async function listOwnNotifications(db: Database, actor: CurrentUser) {
  const rows = await db
    .select({
      id: notifications.id,
      kind: notifications.kind,
      unread: sql<boolean>`${notifications.readAt} is null`.mapWith(Boolean).as("unread"),
      createdAt: sql<number>`${notifications.createdAt}`.mapWith(Number).as("created_seconds"),
      postId: discussionPosts.id,
      actorName: sql<string | null>`${users.name}`.as("actor_name"),
      excerpt: sql<string>`substr(${discussionPosts.bodyMarkdown}, 1, ${EXCERPT_LENGTH})`.as("excerpt"),
      lectureSlug: lectures.slug,
      lectureTitle: lectures.title,
      moduleSlug: sql<string>`${modules.slug}`.as("module_slug"),
    })
    .from(notifications)
    .innerJoin(discussionPosts, eq(discussionPosts.id, notifications.postId))
    .innerJoin(lectures, eq(lectures.id, discussionPosts.lectureId))
    .innerJoin(modules, eq(modules.id, lectures.moduleId))
    .leftJoin(users, eq(users.id, notifications.actorId))
    .where(and(eq(notifications.userId, actor.id), liveNotificationPost))
    .orderBy(desc(notifications.id))
    .limit(NOTIFICATIONS_SHOWN);
  return rows.map((row) => ({ ...row, url: discussionPostUrl(row.moduleSlug, row.lectureSlug, row.postId) }));
}

export type OwnNotification = Awaited<ReturnType<typeof listOwnNotifications>>[number];

/** How many of the actor's notifications are unread (for a badge). */
export function unreadNotificationCount(db: Database, actor: CurrentUser) {
  return db
    .select({ total: sql<number>`count(*)`.mapWith(Number) })
    .from(notifications)
    .innerJoin(discussionPosts, eq(discussionPosts.id, notifications.postId))
    .where(and(eq(notifications.userId, actor.id), isNull(notifications.readAt), liveNotificationPost));
}

/** Marks every notification of the actor read. */
export async function markOwnNotificationsRead(db: Database, actor: CurrentUser): Promise<void> {
  await db
    .update(notifications)
    .set({ readAt: sql`unixepoch()` })
    .where(and(eq(notifications.userId, actor.id), isNull(notifications.readAt)));
}
