import { and, asc, desc, eq, ne, sql, type SQL } from "drizzle-orm";
import type { CurrentUser } from "../../worker/auth/context.ts";
import { renderMarkdown } from "../../worker/markdown/render.ts";
import { batchable, type Database } from "../client.ts";
import { modules, projects, projectSubmissions, users, type SubmissionStatus } from "../schema.ts";
import {
  fullAccessSql,
  loadReleaseSchedule,
  moduleOpening,
  releasedModuleSql,
  viewerId,
  type ReleaseSchedule,
  type Viewer,
} from "./access.ts";
import { issueCertificateIfEarned } from "./certificates.ts";
import { assertAdmin } from "./admin-guard.ts";
import { auditStatement } from "./audit.ts";
import { auditTarget, isAbortedByAuditTarget } from "./audit-target.ts";

// Projects and their submissions. Students read and write only their own submissions;
// the review functions refuse to run for anyone but an admin.

export const REPO_URL_MAX_LENGTH = 500;
export const SUBMISSION_NOTES_MAX_LENGTH = 10_000;
export const FEEDBACK_MAX_LENGTH = 10_000;

export type ReviewDecision = "approve" | "request_changes";

// Timestamps are whole seconds, so two submissions can share one: the rowid (insertion
// order) decides which is newer.
const newestFirst = [desc(projectSubmissions.createdAt), desc(sql`${projectSubmissions}.rowid`)];

/** The id of a student's newest submission for a project. */
function latestSubmissionId(userId: string, projectId: SQL | number) {
  return sql`(select latest.id from project_submissions as latest
    where latest.user_id = ${userId} and latest.project_id = ${projectId}
    order by latest.created_at desc, latest.rowid desc limit 1)`;
}

/** The id of the project of a published module, by the module's slug. */
function publishedProjectIdBySlug(moduleSlug: string) {
  return sql`(select projects.id from projects join modules on modules.id = projects.module_id
    where modules.slug = ${moduleSlug} and modules.published = 1)`;
}

// Aliased: inside db.batch, joined columns of the same name would overwrite each other.
const moduleSlugColumn = sql<string>`${modules.slug}`.as("module_slug");
const moduleTitleColumn = sql<string>`${modules.title}`.as("module_title");
const projectTitleColumn = sql<string>`${projects.title}`.as("project_title");

/** What a student sees of their own submission; the R2 key never leaves the server. */
const ownSubmissionColumns = {
  id: projectSubmissions.id,
  status: projectSubmissions.status,
  repoUrl: projectSubmissions.repoUrl,
  notesHtml: projectSubmissions.notesHtml,
  hasFile: sql<boolean>`${projectSubmissions.fileKey} is not null`.mapWith(Boolean).as("has_file"),
  fileName: projectSubmissions.fileName,
  fileType: projectSubmissions.fileType,
  fileSize: projectSubmissions.fileSize,
  feedbackHtml: projectSubmissions.feedbackHtml,
  reviewedAt: projectSubmissions.reviewedAt,
  createdAt: projectSubmissions.createdAt,
};

/** The acting student's submissions for a project, newest first. */
export function listOwnSubmissions(db: Database, actor: CurrentUser, projectId: number) {
  return db
    .select(ownSubmissionColumns)
    .from(projectSubmissions)
    .where(and(eq(projectSubmissions.userId, actor.id), eq(projectSubmissions.projectId, projectId)))
    .orderBy(...newestFirst);
}

export type OwnSubmission = Awaited<ReturnType<typeof listOwnSubmissions>>[number];

/**
 * A published module's project as the viewer may see it, in one round trip: the full
 * brief only with access (visitors and students without an enrolment get the title and
 * summary), and the viewer's own submissions, newest first. The brief also waits for the
 * module's release on the cohort's schedule; `opening` then says when.
 */
export async function getModuleProject(db: Database, moduleSlug: string, viewer: Viewer, schedule?: ReleaseSchedule) {
  const released = schedule ?? (await loadReleaseSchedule(db, viewer));
  const fullAccess = fullAccessSql(viewer);
  const open = sql<boolean>`(${fullAccess} and ${releasedModuleSql(released, sql`modules.id`)})`;
  const [projectRows, submissions] = await db.batch([
    db
      .select({
        id: projects.id,
        title: projectTitleColumn,
        summary: sql<string>`${projects.summary}`.as("project_summary"),
        required: projects.required,
        briefHtml: sql<string | null>`case when ${open} then ${projects.briefHtml} end`.as("brief_html"),
        fullAccess: fullAccess.mapWith(Boolean).as("full_access"),
        moduleId: sql<number>`${modules.id}`.as("module_id"),
        moduleSlug: moduleSlugColumn,
        moduleTitle: moduleTitleColumn,
      })
      .from(projects)
      .innerJoin(modules, eq(modules.id, projects.moduleId))
      .where(and(eq(modules.slug, moduleSlug), eq(modules.published, true)))
      .limit(1),
    db
      .select(ownSubmissionColumns)
      .from(projectSubmissions)
      .where(
        and(
          eq(projectSubmissions.userId, viewerId(viewer)),
          eq(projectSubmissions.projectId, publishedProjectIdBySlug(moduleSlug)),
        ),
      )
      .orderBy(...newestFirst),
  ]);
  const project = projectRows[0];
  if (!project) return null;
  const { fullAccess: hasAccess, moduleId, ...rest } = project;
  const opening = hasAccess ? moduleOpening(released, moduleId) : null;
  return {
    project: rest,
    fullAccess: hasAccess,
    opening,
    submissions,
    latestStatus: submissions[0]?.status ?? null,
  };
}

export type ModuleProject = NonNullable<Awaited<ReturnType<typeof getModuleProject>>>;

/** One of the acting student's own submissions, with where it belongs. */
export function getOwnSubmission(db: Database, actor: CurrentUser, submissionId: string) {
  return db
    .select({ ...ownSubmissionColumns, projectTitle: projectTitleColumn, moduleSlug: moduleSlugColumn })
    .from(projectSubmissions)
    .innerJoin(projects, eq(projects.id, projectSubmissions.projectId))
    .innerJoin(modules, eq(modules.id, projects.moduleId))
    .where(and(eq(projectSubmissions.id, submissionId), eq(projectSubmissions.userId, actor.id)))
    .get();
}

/** A submission's attachment, for its author or an admin only; null for everyone else. */
export async function getSubmissionFile(db: Database, viewer: Viewer, submissionId: string) {
  if (!viewer) return null;
  const row = await db
    .select({
      key: projectSubmissions.fileKey,
      name: projectSubmissions.fileName,
      type: projectSubmissions.fileType,
      size: projectSubmissions.fileSize,
    })
    .from(projectSubmissions)
    .where(
      and(
        eq(projectSubmissions.id, submissionId),
        viewer.role === "admin" ? undefined : eq(projectSubmissions.userId, viewer.id),
      ),
    )
    .get();
  if (!row?.key) return null;
  return { key: row.key, name: row.name ?? "attachment", type: row.type ?? "application/octet-stream" };
}

export type StoredFile = { key: string; name: string; type: string; size: number };

export type NewSubmission = {
  /** Chosen by the caller, so the R2 key can name it before the row exists. */
  id: string;
  projectId: number;
  repoUrl: string;
  notesMarkdown: string;
  file: StoredFile | null;
};

export type SubmissionRefusal = "not_found" | "no_access" | "not_released" | "awaiting_review" | "approved";

/**
 * Records a submission for the acting student. One statement decides and writes: only
 * with access to a published module's project, and not while the student's latest
 * submission awaits review or is approved. Two tabs submitting at once cannot both win.
 * A module the cohort's schedule has not released yet takes no submissions.
 */
export async function createSubmission(
  db: Database,
  actor: CurrentUser,
  submission: NewSubmission,
): Promise<{ ok: true } | { ok: false; reason: SubmissionRefusal }> {
  const schedule = await loadReleaseSchedule(db, actor);
  const released = releasedModuleSql(schedule, sql`modules.id`);
  const notesHtml = renderMarkdown(submission.notesMarkdown).html;
  const { file } = submission;
  const latestStatus = sql`(select status from project_submissions
    where id = ${latestSubmissionId(actor.id, sql`projects.id`)})`;
  const [insert, state] = await db.batch([
    batchable(
      db,
      db.run(sql`
      insert into project_submissions
        (id, project_id, user_id, repo_url, notes_markdown, notes_html, file_key, file_name, file_type, file_size)
      select ${submission.id}, projects.id, ${actor.id}, ${submission.repoUrl}, ${submission.notesMarkdown},
        ${notesHtml}, ${file?.key ?? null}, ${file?.name ?? null}, ${file?.type ?? null}, ${file?.size ?? null}
      from projects join modules on modules.id = projects.module_id
      where projects.id = ${submission.projectId} and modules.published = 1 and ${fullAccessSql(actor)}
        and ${released}
        and coalesce(${latestStatus}, 'none') not in ('submitted', 'approved')
    `),
    ),
    // Read after the insert, only to explain a refusal.
    db
      .select({
        published: modules.published,
        access: fullAccessSql(actor).mapWith(Boolean).as("access"),
        released: released.mapWith(Boolean).as("released"),
        status: sql<SubmissionStatus | null>`${latestStatus}`.as("latest_status"),
      })
      .from(projects)
      .innerJoin(modules, eq(modules.id, projects.moduleId))
      .where(eq(projects.id, submission.projectId)),
  ]);
  if (insert.meta.changes > 0) return { ok: true };
  const row = state[0];
  if (!row || !row.published) return { ok: false, reason: "not_found" };
  if (!row.access) return { ok: false, reason: "no_access" };
  if (!row.released) return { ok: false, reason: "not_released" };
  return { ok: false, reason: row.status === "approved" ? "approved" : "awaiting_review" };
}

/**
 * Per published module that has a project, in curriculum order: the brief's title and
 * summary, and the viewer's latest submission status ("none" before the first, and always
 * for visitors) with when it last changed. A builder, for the dashboard's batch.
 */
export function listProjectsWithStatus(db: Database, viewer: Viewer) {
  return db
    .select({
      moduleSlug: moduleSlugColumn,
      moduleTitle: moduleTitleColumn,
      projectTitle: projectTitleColumn,
      summary: projects.summary,
      required: projects.required,
      status: sql<SubmissionStatus | "none">`coalesce(${projectSubmissions.status}, 'none')`.as("submission_status"),
      updatedAt: sql<Date | null>`${projectSubmissions.updatedAt}`
        .mapWith((seconds: number | null) => (seconds === null ? null : new Date(seconds * 1000)))
        .as("submission_updated_at"),
    })
    .from(projects)
    .innerJoin(modules, eq(modules.id, projects.moduleId))
    .leftJoin(projectSubmissions, eq(projectSubmissions.id, latestSubmissionId(viewerId(viewer), sql`${projects.id}`)))
    .where(eq(modules.published, true))
    .orderBy(asc(modules.position));
}

export type ProjectWithStatus = Awaited<ReturnType<typeof listProjectsWithStatus>>[number];

// ---- Review (admins only) ---------------------------------------------------------

const queueColumns = {
  id: projectSubmissions.id,
  status: projectSubmissions.status,
  createdAt: projectSubmissions.createdAt,
  reviewedAt: projectSubmissions.reviewedAt,
  studentName: sql<string>`${users.name}`.as("student_name"),
  studentEmail: sql<string>`${users.email}`.as("student_email"),
  projectTitle: projectTitleColumn,
  moduleTitle: moduleTitleColumn,
  /** 1 for a student's first submission of this project, 2 for the resubmission after it... */
  attempt: sql<number>`(select count(*) from project_submissions as earlier
    where earlier.user_id = ${projectSubmissions.userId} and earlier.project_id = ${projectSubmissions.projectId}
      and earlier.rowid <= ${projectSubmissions}.rowid)`
    .mapWith(Number)
    .as("attempt"),
};

export const RECENTLY_REVIEWED_LIMIT = 20;

/** Submissions awaiting review (oldest first: first come, first served) and the latest decisions. */
export async function listReviewQueue(db: Database, admin: CurrentUser) {
  assertAdmin(admin);
  const queue = () =>
    db
      .select(queueColumns)
      .from(projectSubmissions)
      .innerJoin(users, eq(users.id, projectSubmissions.userId))
      .innerJoin(projects, eq(projects.id, projectSubmissions.projectId))
      .innerJoin(modules, eq(modules.id, projects.moduleId));
  const [awaiting, recent] = await db.batch([
    queue()
      .where(eq(projectSubmissions.status, "submitted"))
      .orderBy(asc(projectSubmissions.createdAt), asc(sql`${projectSubmissions}.rowid`)),
    queue()
      .where(ne(projectSubmissions.status, "submitted"))
      .orderBy(desc(projectSubmissions.reviewedAt), desc(sql`${projectSubmissions}.rowid`))
      .limit(RECENTLY_REVIEWED_LIMIT),
  ]);
  return { awaiting, recent };
}

export type QueueEntry = Awaited<ReturnType<typeof listReviewQueue>>["awaiting"][number];

/** One submission with its student, its project and the student's earlier submissions of it. */
export async function getSubmissionForReview(db: Database, admin: CurrentUser, submissionId: string) {
  assertAdmin(admin);
  const thisOne = (column: string) =>
    sql`(select ${sql.raw(`this_one.${column}`)} from project_submissions as this_one where this_one.id = ${submissionId})`;
  const [rows, earlier] = await db.batch([
    db
      .select({
        ...ownSubmissionColumns,
        reviewerName: sql<string | null>`(select reviewer.name from users as reviewer
          where reviewer.id = ${projectSubmissions.reviewerId})`.as("reviewer_name"),
        studentName: sql<string>`${users.name}`.as("student_name"),
        studentEmail: sql<string>`${users.email}`.as("student_email"),
        projectTitle: projectTitleColumn,
        projectSummary: sql<string>`${projects.summary}`.as("project_summary"),
        required: projects.required,
        moduleSlug: moduleSlugColumn,
        moduleTitle: moduleTitleColumn,
      })
      .from(projectSubmissions)
      .innerJoin(users, eq(users.id, projectSubmissions.userId))
      .innerJoin(projects, eq(projects.id, projectSubmissions.projectId))
      .innerJoin(modules, eq(modules.id, projects.moduleId))
      .where(eq(projectSubmissions.id, submissionId))
      .limit(1),
    db
      .select(ownSubmissionColumns)
      .from(projectSubmissions)
      .where(
        and(
          eq(projectSubmissions.userId, thisOne("user_id")),
          eq(projectSubmissions.projectId, thisOne("project_id")),
          sql`rowid < ${thisOne("rowid")}`,
        ),
      )
      .orderBy(desc(sql`rowid`)),
  ]);
  const submission = rows[0];
  return submission ? { submission, earlier } : null;
}

export type SubmissionForReview = NonNullable<Awaited<ReturnType<typeof getSubmissionForReview>>>;

export type ReviewResult =
  | { ok: true; status: SubmissionStatus }
  | { ok: false; reason: "not_found" }
  | { ok: false; reason: "conflict"; status: SubmissionStatus };

/**
 * Records an admin's decision on a submission that still awaits review, with its audit
 * entry. The entry's target is the submission only while it is `submitted`, so when two
 * admins decide at once the second batch writes nothing (not even an audit row) and gets
 * a conflict instead of overwriting the first. An approval may complete the programme: the
 * certificate check rides in the same batch.
 */
export async function reviewSubmission(
  db: Database,
  admin: CurrentUser,
  submissionId: string,
  decision: ReviewDecision,
  feedback: string,
): Promise<ReviewResult> {
  assertAdmin(admin);
  const feedbackMarkdown = feedback.trim();
  if (decision === "request_changes" && feedbackMarkdown === "") {
    throw new Error("Requesting changes needs feedback that says what to change");
  }
  const current = () =>
    db
      .select({
        userId: projectSubmissions.userId,
        status: projectSubmissions.status,
        studentName: sql<string>`${users.name}`.as("student_name"),
        projectTitle: projectTitleColumn,
      })
      .from(projectSubmissions)
      .innerJoin(users, eq(users.id, projectSubmissions.userId))
      .innerJoin(projects, eq(projects.id, projectSubmissions.projectId))
      .where(eq(projectSubmissions.id, submissionId))
      .get();
  const before = await current();
  if (!before) return { ok: false, reason: "not_found" };
  if (before.status !== "submitted") return { ok: false, reason: "conflict", status: before.status };

  const status: SubmissionStatus = decision === "approve" ? "approved" : "changes_requested";
  const audit = auditStatement(db, admin, {
    action: decision === "approve" ? "project.approve" : "project.request_changes",
    targetType: "project_submission",
    targetId: auditTarget(sql`select id from project_submissions where id = ${submissionId} and status = 'submitted'`),
    summary: `${decision === "approve" ? "Approved" : "Requested changes to"} ${before.studentName}'s submission of “${before.projectTitle}”`,
  });
  const update = db
    .update(projectSubmissions)
    .set({
      status,
      feedbackMarkdown: feedbackMarkdown || null,
      feedbackHtml: feedbackMarkdown ? renderMarkdown(feedbackMarkdown).html : null,
      reviewerId: admin.id,
      reviewedAt: sql`unixepoch()`,
      updatedAt: sql`unixepoch()`,
    })
    .where(and(eq(projectSubmissions.id, submissionId), eq(projectSubmissions.status, "submitted")));
  try {
    if (status === "approved") await db.batch([audit, update, issueCertificateIfEarned(db, before.userId)]);
    else await db.batch([audit, update]);
    return { ok: true, status };
  } catch (error) {
    if (!isAbortedByAuditTarget(error)) throw error;
  }
  // Another admin decided between the read and the write.
  const after = await current();
  return after ? { ok: false, reason: "conflict", status: after.status } : { ok: false, reason: "not_found" };
}
