import { relations, sql } from "drizzle-orm";
import {
  index,
  integer,
  primaryKey,
  sqliteTable,
  text,
  uniqueIndex,
  type AnySQLiteColumn,
} from "drizzle-orm/sqlite-core";

// Conventions that later tables (users, cohorts, enrollments, progress) follow:
// plural snake_case tables, integer surrogate keys for content, `<table>_id` foreign keys,
// unix-epoch `created_at` / `updated_at` columns, and slugs unique within their parent.

const timestamps = {
  createdAt: integer("created_at", { mode: "timestamp" })
    .notNull()
    .default(sql`(unixepoch())`),
  updatedAt: integer("updated_at", { mode: "timestamp" })
    .notNull()
    .default(sql`(unixepoch())`),
};

export const modules = sqliteTable(
  "modules",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    slug: text("slug").notNull(),
    title: text("title").notNull(),
    summary: text("summary").notNull(),
    /** Module overview as markdown, and its rendered, sanitised HTML. */
    overviewMarkdown: text("overview_markdown").notNull().default(""),
    overviewHtml: text("overview_html").notNull().default(""),
    position: integer("position").notNull(),
    published: integer("published", { mode: "boolean" }).notNull().default(false),
    /** Drip release: the module opens this many days after a cohort starts... */
    releaseOffsetDays: integer("release_offset_days").notNull().default(0),
    /** ...at this local time ("HH:MM") in the cohort's timezone; null means the cohort's start time of day. */
    releaseTime: text("release_time"),
    ...timestamps,
  },
  (table) => [
    uniqueIndex("modules_slug_unique").on(table.slug),
    index("modules_position_idx").on(table.published, table.position),
  ],
);

export const lectures = sqliteTable(
  "lectures",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    moduleId: integer("module_id")
      .notNull()
      .references(() => modules.id, { onDelete: "cascade" }),
    slug: text("slug").notNull(),
    title: text("title").notNull(),
    summary: text("summary").notNull(),
    bodyMarkdown: text("body_markdown").notNull(),
    /** Rendered once when the lecture is written, never per request. */
    bodyHtml: text("body_html").notNull(),
    /** Plain text of the body; what the full-text index (lectures_fts) searches. */
    bodyText: text("body_text").notNull(),
    /** Table of contents (h2/h3) as JSON: TocEntry[]. */
    tocJson: text("toc_json").notNull().default("[]"),
    durationMinutes: integer("duration_minutes").notNull(),
    position: integer("position").notNull(),
    published: integer("published", { mode: "boolean" }).notNull().default(false),
    freePreview: integer("free_preview", { mode: "boolean" }).notNull().default(false),
    /** R2 key of the lecture video in LECTURE_ASSETS, when it has one. */
    videoAssetKey: text("video_asset_key"),
    /**
     * Where an imported lecture came from ("feed:<guid or link>", "zip:<module>/<slug>"):
     * re-importing the same source updates this lecture instead of adding another.
     */
    sourceId: text("source_id"),
    ...timestamps,
  },
  (table) => [
    uniqueIndex("lectures_module_slug_unique").on(table.moduleId, table.slug),
    uniqueIndex("lectures_source_unique").on(table.sourceId),
    index("lectures_module_position_idx").on(table.moduleId, table.published, table.position),
  ],
);

export type Module = typeof modules.$inferSelect;
export type Lecture = typeof lectures.$inferSelect;
export type NewModule = typeof modules.$inferInsert;
export type NewLecture = typeof lectures.$inferInsert;

// ---- Accounts (managed through better-auth; see worker/auth) -------------------
// Text ids (better-auth generates them), so ids never reveal how many users exist.

export const ROLES = ["student", "admin"] as const;
export type Role = (typeof ROLES)[number];

export const users = sqliteTable(
  "users",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    email: text("email").notNull(),
    emailVerified: integer("email_verified", { mode: "boolean" }).notNull().default(false),
    image: text("image"),
    role: text("role", { enum: ROLES }).notNull().default("student"),
    /** Set by an admin: the account cannot sign in and its sessions are gone. */
    deactivatedAt: integer("deactivated_at", { mode: "timestamp" }),
    ...timestamps,
  },
  (table) => [uniqueIndex("users_email_unique").on(table.email)],
);

export const sessions = sqliteTable(
  "sessions",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** Opaque random token; the cookie carries it with an HMAC signature. */
    token: text("token").notNull(),
    expiresAt: integer("expires_at", { mode: "timestamp" }).notNull(),
    ipAddress: text("ip_address"),
    userAgent: text("user_agent"),
    ...timestamps,
  },
  (table) => [uniqueIndex("sessions_token_unique").on(table.token), index("sessions_user_idx").on(table.userId)],
);

export const accounts = sqliteTable(
  "accounts",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** "credential" for email and password. */
    providerId: text("provider_id").notNull(),
    accountId: text("account_id").notNull(),
    /** scrypt hash with its parameters (worker/auth/password.ts). */
    password: text("password"),
    accessToken: text("access_token"),
    refreshToken: text("refresh_token"),
    idToken: text("id_token"),
    accessTokenExpiresAt: integer("access_token_expires_at", { mode: "timestamp" }),
    refreshTokenExpiresAt: integer("refresh_token_expires_at", { mode: "timestamp" }),
    scope: text("scope"),
    ...timestamps,
  },
  (table) => [index("accounts_user_idx").on(table.userId)],
);

/** Single-use tokens: email verification, password reset, email change. */
export const verifications = sqliteTable(
  "verifications",
  {
    id: text("id").primaryKey(),
    identifier: text("identifier").notNull(),
    value: text("value").notNull(),
    expiresAt: integer("expires_at", { mode: "timestamp" }).notNull(),
    ...timestamps,
  },
  (table) => [index("verifications_identifier_idx").on(table.identifier)],
);

/** Emails sent in local mode, shown at /dev/outbox instead of being delivered. */
export const devOutbox = sqliteTable("dev_outbox", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  to: text("to").notNull(),
  subject: text("subject").notNull(),
  html: text("html").notNull(),
  text: text("text").notNull(),
  createdAt: timestamps.createdAt,
});

// Relations let better-auth fetch a session with its user (and a user with their
// accounts) in one joined query.
export const usersRelations = relations(users, ({ many }) => ({ sessions: many(sessions), accounts: many(accounts) }));
export const sessionsRelations = relations(sessions, ({ one }) => ({
  user: one(users, { fields: [sessions.userId], references: [users.id] }),
}));
export const accountsRelations = relations(accounts, ({ one }) => ({
  user: one(users, { fields: [accounts.userId], references: [users.id] }),
}));

export type User = typeof users.$inferSelect;
export type Session = typeof sessions.$inferSelect;

// ---- Cohorts --------------------------------------------------------------------

export const COHORT_STATUSES = ["upcoming", "enrolling", "running", "finished"] as const;
export type CohortStatus = (typeof COHORT_STATUSES)[number];

/**
 * A batch of students who start together ("Batch 4"). Instants are stored in UTC; the
 * timezone says how to show them and where "09:00" release times fall.
 */
export const cohorts = sqliteTable(
  "cohorts",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    slug: text("slug").notNull(),
    name: text("name").notNull(),
    courseTitle: text("course_title").notNull(),
    /** IANA timezone, e.g. "Asia/Bishkek". */
    timezone: text("timezone").notNull(),
    startsAt: integer("starts_at", { mode: "timestamp" }).notNull(),
    endsAt: integer("ends_at", { mode: "timestamp" }).notNull(),
    enrollmentOpensAt: integer("enrollment_opens_at", { mode: "timestamp" }).notNull(),
    enrollmentClosesAt: integer("enrollment_closes_at", { mode: "timestamp" }).notNull(),
    capacity: integer("capacity").notNull(),
    /** Price of a seat in the smallest currency unit. */
    priceCents: integer("price_cents").notNull(),
    currency: text("currency").notNull().default("usd"),
    /** Kept current by the cohort's clock (a Durable Object) as phases change. */
    status: text("status", { enum: COHORT_STATUSES }).notNull().default("upcoming"),
    ...timestamps,
  },
  (table) => [uniqueIndex("cohorts_slug_unique").on(table.slug), index("cohorts_starts_idx").on(table.startsAt)],
);

/** An admin's exception to the drip schedule: this student gets this module at this time. */
export const moduleReleaseOverrides = sqliteTable(
  "module_release_overrides",
  {
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    moduleId: integer("module_id")
      .notNull()
      .references(() => modules.id, { onDelete: "cascade" }),
    releasedAt: integer("released_at", { mode: "timestamp" }).notNull(),
    createdBy: text("created_by").references(() => users.id, { onDelete: "set null" }),
    ...timestamps,
  },
  (table) => [primaryKey({ columns: [table.userId, table.moduleId] })],
);

/** Markdown announcements to everyone (cohort null) or one cohort. Ids only grow: clients catch up from the last one seen. */
export const announcements = sqliteTable(
  "announcements",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    cohortId: integer("cohort_id").references(() => cohorts.id, { onDelete: "cascade" }),
    authorId: text("author_id").references(() => users.id, { onDelete: "set null" }),
    title: text("title").notNull(),
    bodyMarkdown: text("body_markdown").notNull(),
    bodyHtml: text("body_html").notNull(),
    createdAt: timestamps.createdAt,
  },
  (table) => [index("announcements_cohort_idx").on(table.cohortId, table.id)],
);

/** The newest announcement each member has seen: everything after it is unread. */
export const announcementReads = sqliteTable("announcement_reads", {
  userId: text("user_id")
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade" }),
  lastReadId: integer("last_read_id").notNull().default(0),
  updatedAt: timestamps.updatedAt,
});

export type Cohort = typeof cohorts.$inferSelect;
export type Announcement = typeof announcements.$inferSelect;

// ---- Learning -------------------------------------------------------------------

export const ENROLLMENT_STATUSES = ["active", "pending", "suspended", "cancelled", "refunded", "expired"] as const;
export type EnrollmentStatus = (typeof ENROLLMENT_STATUSES)[number];

/**
 * A student's right to the full course. Payments and the admin create them (later:
 * per cohort); only `active` opens locked lectures.
 */
export const enrollments = sqliteTable(
  "enrollments",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    status: text("status", { enum: ENROLLMENT_STATUSES }).notNull().default("active"),
    /** Where it came from: "admin", "payment", "seed". */
    source: text("source").notNull(),
    /** The cohort the student studies with; null for access that is not tied to a cohort. */
    cohortId: integer("cohort_id").references(() => cohorts.id, { onDelete: "set null" }),
    ...timestamps,
  },
  (table) => [
    index("enrollments_user_status_idx").on(table.userId, table.status),
    index("enrollments_cohort_status_idx").on(table.cohortId, table.status),
  ],
);

/** One row per student and lecture: where they are in it and whether they finished it. */
export const lectureProgress = sqliteTable(
  "lecture_progress",
  {
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    lectureId: integer("lecture_id")
      .notNull()
      .references(() => lectures.id, { onDelete: "cascade" }),
    /** Last video position, in whole seconds. */
    positionSeconds: integer("position_seconds").notNull().default(0),
    completedAt: integer("completed_at", { mode: "timestamp" }),
    ...timestamps,
  },
  (table) => [
    primaryKey({ columns: [table.userId, table.lectureId] }),
    index("lecture_progress_user_updated_idx").on(table.userId, table.updatedAt),
  ],
);

export const NOTE_MAX_LENGTH = 20_000;

/** A student's private markdown note on a lecture; only they ever read it. */
export const lectureNotes = sqliteTable(
  "lecture_notes",
  {
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    lectureId: integer("lecture_id")
      .notNull()
      .references(() => lectures.id, { onDelete: "cascade" }),
    bodyMarkdown: text("body_markdown").notNull(),
    ...timestamps,
  },
  (table) => [
    primaryKey({ columns: [table.userId, table.lectureId] }),
    index("lecture_notes_user_updated_idx").on(table.userId, table.updatedAt),
  ],
);

// ---- Quizzes --------------------------------------------------------------------

export const QUESTION_KINDS = ["single", "multiple", "short"] as const;
export type QuestionKind = (typeof QUESTION_KINDS)[number];

/** One quiz per module; passing every module's quiz is part of earning the certificate. */
export const quizzes = sqliteTable(
  "quizzes",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    moduleId: integer("module_id")
      .notNull()
      .references(() => modules.id, { onDelete: "cascade" }),
    title: text("title").notNull(),
    /** Percentage of questions to answer correctly to pass, 1-100. */
    passPercent: integer("pass_percent").notNull(),
    ...timestamps,
  },
  (table) => [uniqueIndex("quizzes_module_unique").on(table.moduleId)],
);

export const quizQuestions = sqliteTable(
  "quiz_questions",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    quizId: integer("quiz_id")
      .notNull()
      .references(() => quizzes.id, { onDelete: "cascade" }),
    position: integer("position").notNull(),
    kind: text("kind", { enum: QUESTION_KINDS }).notNull(),
    /** Sanitised HTML of the question (inline markdown, may hold code). */
    promptHtml: text("prompt_html").notNull(),
    /** QuizOption[] as JSON: `{ id, html }`, no correctness. What students are shown. */
    optionsJson: text("options_json").notNull().default("[]"),
    /**
     * The answer key as JSON: correct option ids, or accepted short answers. Only the
     * grader reads it; no query that feeds a page or the API selects it.
     */
    answerKeyJson: text("answer_key_json").notNull(),
    /** Sanitised HTML shown with the feedback once an attempt is submitted. */
    explanationHtml: text("explanation_html").notNull().default(""),
    ...timestamps,
  },
  (table) => [uniqueIndex("quiz_questions_quiz_position_unique").on(table.quizId, table.position)],
);

/** A submitted, graded attempt. The feedback is kept as it was graded, so history never shifts. */
export const quizAttempts = sqliteTable(
  "quiz_attempts",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    quizId: integer("quiz_id")
      .notNull()
      .references(() => quizzes.id, { onDelete: "cascade" }),
    correctCount: integer("correct_count").notNull(),
    questionCount: integer("question_count").notNull(),
    scorePercent: integer("score_percent").notNull(),
    passed: integer("passed", { mode: "boolean" }).notNull(),
    /** Per-question feedback as graded: QuestionFeedback[] as JSON. */
    feedbackJson: text("feedback_json").notNull(),
    createdAt: timestamps.createdAt,
  },
  (table) => [index("quiz_attempts_user_quiz_idx").on(table.userId, table.quizId, table.createdAt)],
);

// ---- Interview practice -----------------------------------------------------------

export const interviewTopics = sqliteTable(
  "interview_topics",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    slug: text("slug").notNull(),
    title: text("title").notNull(),
    summary: text("summary").notNull(),
    position: integer("position").notNull(),
    ...timestamps,
  },
  (table) => [uniqueIndex("interview_topics_slug_unique").on(table.slug)],
);

export const interviewQuestions = sqliteTable(
  "interview_questions",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    topicId: integer("topic_id")
      .notNull()
      .references(() => interviewTopics.id, { onDelete: "cascade" }),
    position: integer("position").notNull(),
    /** The question as an interviewer asks it (plain text). */
    prompt: text("prompt").notNull(),
    answerMarkdown: text("answer_markdown").notNull(),
    answerHtml: text("answer_html").notNull(),
    ...timestamps,
  },
  (table) => [uniqueIndex("interview_questions_topic_position_unique").on(table.topicId, table.position)],
);

export const REVIEW_RATINGS = ["again", "hard", "good", "easy"] as const;
export type ReviewRating = (typeof REVIEW_RATINGS)[number];

/** A student's spaced-repetition state for one interview question (a "card"). */
export const interviewCards = sqliteTable(
  "interview_cards",
  {
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    questionId: integer("question_id")
      .notNull()
      .references(() => interviewQuestions.id, { onDelete: "cascade" }),
    /** Ease factor in thousandths (2500 = 2.5x), as in SM-2. */
    easePermille: integer("ease_permille").notNull().default(2500),
    /** Current interval in minutes (short while relearning, days once known). */
    intervalMinutes: integer("interval_minutes").notNull().default(0),
    repetitions: integer("repetitions").notNull().default(0),
    lapses: integer("lapses").notNull().default(0),
    lastRating: text("last_rating", { enum: REVIEW_RATINGS }).notNull(),
    dueAt: integer("due_at", { mode: "timestamp" }).notNull(),
    reviewedAt: integer("reviewed_at", { mode: "timestamp" }).notNull(),
    ...timestamps,
  },
  (table) => [
    primaryKey({ columns: [table.userId, table.questionId] }),
    index("interview_cards_user_due_idx").on(table.userId, table.dueAt),
  ],
);

// ---- Projects ---------------------------------------------------------------------

export const SUBMISSION_STATUSES = ["submitted", "changes_requested", "approved"] as const;
export type SubmissionStatus = (typeof SUBMISSION_STATUSES)[number];

/** A hands-on project brief, at most one per module. */
export const projects = sqliteTable(
  "projects",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    moduleId: integer("module_id")
      .notNull()
      .references(() => modules.id, { onDelete: "cascade" }),
    title: text("title").notNull(),
    summary: text("summary").notNull(),
    briefMarkdown: text("brief_markdown").notNull(),
    briefHtml: text("brief_html").notNull(),
    /** Required projects must be approved before the certificate is issued. */
    required: integer("required", { mode: "boolean" }).notNull().default(true),
    ...timestamps,
  },
  (table) => [uniqueIndex("projects_module_unique").on(table.moduleId)],
);

/** Every submission is kept; a student's latest one for a project is its current state. */
export const projectSubmissions = sqliteTable(
  "project_submissions",
  {
    id: text("id").primaryKey(),
    projectId: integer("project_id")
      .notNull()
      .references(() => projects.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    repoUrl: text("repo_url").notNull(),
    notesMarkdown: text("notes_markdown").notNull().default(""),
    notesHtml: text("notes_html").notNull().default(""),
    /** Optional attachment in LECTURE_ASSETS under a server-generated key. */
    fileKey: text("file_key"),
    fileName: text("file_name"),
    fileType: text("file_type"),
    fileSize: integer("file_size"),
    status: text("status", { enum: SUBMISSION_STATUSES }).notNull().default("submitted"),
    feedbackMarkdown: text("feedback_markdown"),
    feedbackHtml: text("feedback_html"),
    reviewerId: text("reviewer_id").references(() => users.id, { onDelete: "set null" }),
    reviewedAt: integer("reviewed_at", { mode: "timestamp" }),
    ...timestamps,
  },
  (table) => [
    index("project_submissions_user_project_idx").on(table.userId, table.projectId, table.createdAt),
    index("project_submissions_status_idx").on(table.status, table.createdAt),
  ],
);

// ---- Certificates -----------------------------------------------------------------

/**
 * Issued automatically once a student has completed every lecture, passed every quiz and
 * had every required project approved. The id is random and unguessable: it is the
 * public verification link. Revoked certificates stay, so their links say so.
 */
export const certificates = sqliteTable(
  "certificates",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** The name as it was when issued; certificates do not change afterwards. */
    recipientName: text("recipient_name").notNull(),
    courseTitle: text("course_title").notNull(),
    lectureCount: integer("lecture_count").notNull(),
    issuedAt: integer("issued_at", { mode: "timestamp" }).notNull(),
    revokedAt: integer("revoked_at", { mode: "timestamp" }),
    revokedReason: text("revoked_reason"),
  },
  (table) => [uniqueIndex("certificates_user_unique").on(table.userId)],
);

export type Quiz = typeof quizzes.$inferSelect;
export type QuizQuestion = typeof quizQuestions.$inferSelect;
export type QuizAttempt = typeof quizAttempts.$inferSelect;
export type InterviewTopic = typeof interviewTopics.$inferSelect;
export type InterviewQuestion = typeof interviewQuestions.$inferSelect;
export type InterviewCard = typeof interviewCards.$inferSelect;
export type Project = typeof projects.$inferSelect;
export type ProjectSubmission = typeof projectSubmissions.$inferSelect;
export type Certificate = typeof certificates.$inferSelect;

// ---- Discussions ------------------------------------------------------------------

/** Per-lecture thread settings; a lecture without a row has an open thread. */
export const discussionThreads = sqliteTable("discussion_threads", {
  lectureId: integer("lecture_id")
    .primaryKey()
    .references(() => lectures.id, { onDelete: "cascade" }),
  lockedAt: integer("locked_at", { mode: "timestamp" }),
  lockedBy: text("locked_by").references(() => users.id, { onDelete: "set null" }),
  ...timestamps,
});

/** A post in a lecture's thread, or a reply to one (one level deep: parent is a top-level post). */
export const discussionPosts = sqliteTable(
  "discussion_posts",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    lectureId: integer("lecture_id")
      .notNull()
      .references(() => lectures.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    parentId: integer("parent_id").references((): AnySQLiteColumn => discussionPosts.id, { onDelete: "cascade" }),
    quotedPostId: integer("quoted_post_id").references((): AnySQLiteColumn => discussionPosts.id, {
      onDelete: "set null",
    }),
    bodyMarkdown: text("body_markdown").notNull(),
    bodyHtml: text("body_html").notNull(),
    pinnedAt: integer("pinned_at", { mode: "timestamp" }),
    hiddenAt: integer("hidden_at", { mode: "timestamp" }),
    hiddenBy: text("hidden_by").references(() => users.id, { onDelete: "set null" }),
    /** Deleted by its author: kept as a tombstone so replies keep their place. */
    deletedAt: integer("deleted_at", { mode: "timestamp" }),
    editedAt: integer("edited_at", { mode: "timestamp" }),
    ...timestamps,
  },
  (table) => [
    index("discussion_posts_lecture_idx").on(table.lectureId, table.parentId, table.createdAt),
    index("discussion_posts_user_idx").on(table.userId, table.createdAt),
  ],
);

/** One upvote per member and post; "top" sorting counts them. */
export const discussionVotes = sqliteTable(
  "discussion_votes",
  {
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    postId: integer("post_id")
      .notNull()
      .references(() => discussionPosts.id, { onDelete: "cascade" }),
    createdAt: timestamps.createdAt,
  },
  (table) => [
    primaryKey({ columns: [table.userId, table.postId] }),
    index("discussion_votes_post_idx").on(table.postId),
  ],
);

export const discussionReports = sqliteTable(
  "discussion_reports",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    postId: integer("post_id")
      .notNull()
      .references(() => discussionPosts.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    reason: text("reason").notNull(),
    resolvedAt: integer("resolved_at", { mode: "timestamp" }),
    createdAt: timestamps.createdAt,
  },
  (table) => [uniqueIndex("discussion_reports_post_user_unique").on(table.postId, table.userId)],
);

export const NOTIFICATION_KINDS = ["reply"] as const;

/** In-app notifications (someone replied to you), newest first, unread until opened. */
export const notifications = sqliteTable(
  "notifications",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: NOTIFICATION_KINDS }).notNull(),
    postId: integer("post_id").references(() => discussionPosts.id, { onDelete: "cascade" }),
    actorId: text("actor_id").references(() => users.id, { onDelete: "set null" }),
    readAt: integer("read_at", { mode: "timestamp" }),
    createdAt: timestamps.createdAt,
  },
  (table) => [index("notifications_user_idx").on(table.userId, table.readAt, table.id)],
);

export type DiscussionPost = typeof discussionPosts.$inferSelect;
export type Notification = typeof notifications.$inferSelect;

// ---- Admin: content history, files, uploads, analytics, audit ------------------------

/** A snapshot of a lecture as saved; the newest is the current text. Restoring writes a new one. */
export const lectureVersions = sqliteTable(
  "lecture_versions",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    lectureId: integer("lecture_id")
      .notNull()
      .references(() => lectures.id, { onDelete: "cascade" }),
    title: text("title").notNull(),
    slug: text("slug").notNull(),
    summary: text("summary").notNull(),
    bodyMarkdown: text("body_markdown").notNull(),
    durationMinutes: integer("duration_minutes").notNull(),
    published: integer("published", { mode: "boolean" }).notNull(),
    freePreview: integer("free_preview", { mode: "boolean" }).notNull(),
    authorId: text("author_id").references(() => users.id, { onDelete: "set null" }),
    /** Why it was saved: "Created", "Edited", "Restored version 3", "Imported from feed". */
    note: text("note").notNull(),
    createdAt: timestamps.createdAt,
  },
  (table) => [index("lecture_versions_lecture_idx").on(table.lectureId, table.id)],
);

/** A file attached to a lecture (slides, a PDF, an image, a video), stored in LECTURE_ASSETS. */
export const lectureFiles = sqliteTable(
  "lecture_files",
  {
    id: text("id").primaryKey(),
    lectureId: integer("lecture_id")
      .notNull()
      .references(() => lectures.id, { onDelete: "cascade" }),
    /** R2 key, generated by the server; never derived from the uploaded name. */
    key: text("key").notNull(),
    fileName: text("file_name").notNull(),
    contentType: text("content_type").notNull(),
    size: integer("size").notNull(),
    uploadedBy: text("uploaded_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamps.createdAt,
  },
  (table) => [
    uniqueIndex("lecture_files_key_unique").on(table.key),
    index("lecture_files_lecture_idx").on(table.lectureId),
  ],
);

export const UPLOAD_STATUSES = ["uploading", "complete", "aborted"] as const;

/** An R2 multipart upload in progress: enough to resume it after a dropped connection. */
export const uploads = sqliteTable(
  "uploads",
  {
    id: text("id").primaryKey(),
    lectureId: integer("lecture_id")
      .notNull()
      .references(() => lectures.id, { onDelete: "cascade" }),
    key: text("key").notNull(),
    /** R2's multipart upload id. */
    r2UploadId: text("r2_upload_id").notNull(),
    fileName: text("file_name").notNull(),
    contentType: text("content_type").notNull(),
    /** Declared total size; the completed object must match it. */
    size: integer("size").notNull(),
    partSize: integer("part_size").notNull(),
    status: text("status", { enum: UPLOAD_STATUSES }).notNull().default("uploading"),
    createdBy: text("created_by").references(() => users.id, { onDelete: "set null" }),
    ...timestamps,
  },
  (table) => [index("uploads_lecture_idx").on(table.lectureId, table.status)],
);

/** Parts R2 has accepted, so a resumed upload sends only the rest. */
export const uploadParts = sqliteTable(
  "upload_parts",
  {
    uploadId: text("upload_id")
      .notNull()
      .references(() => uploads.id, { onDelete: "cascade" }),
    partNumber: integer("part_number").notNull(),
    etag: text("etag").notNull(),
    size: integer("size").notNull(),
    createdAt: timestamps.createdAt,
  },
  (table) => [primaryKey({ columns: [table.uploadId, table.partNumber] })],
);

/** First and latest time a member opened a lecture page: the "viewed" step of the funnel. */
export const lectureViews = sqliteTable(
  "lecture_views",
  {
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    lectureId: integer("lecture_id")
      .notNull()
      .references(() => lectures.id, { onDelete: "cascade" }),
    firstViewedAt: integer("first_viewed_at", { mode: "timestamp" })
      .notNull()
      .default(sql`(unixepoch())`),
    lastViewedAt: integer("last_viewed_at", { mode: "timestamp" })
      .notNull()
      .default(sql`(unixepoch())`),
  },
  (table) => [
    primaryKey({ columns: [table.userId, table.lectureId] }),
    index("lecture_views_last_idx").on(table.lastViewedAt),
  ],
);

/** Who did what in the admin, and when. Rows are only ever added. */
export const auditLog = sqliteTable(
  "audit_log",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    actorId: text("actor_id").references(() => users.id, { onDelete: "set null" }),
    /** Kept as it was, so the entry still says who acted after the account is gone. */
    actorEmail: text("actor_email").notNull(),
    /** Stable dotted code: "lecture.update", "student.deactivate", ... */
    action: text("action").notNull(),
    targetType: text("target_type").notNull(),
    targetId: text("target_id").notNull(),
    /** One readable sentence: "Published \"Linux basics\"". */
    summary: text("summary").notNull(),
    createdAt: timestamps.createdAt,
  },
  (table) => [
    index("audit_log_created_idx").on(table.createdAt),
    index("audit_log_target_idx").on(table.targetType, table.targetId),
  ],
);

export type LectureVersion = typeof lectureVersions.$inferSelect;
export type LectureFile = typeof lectureFiles.$inferSelect;
export type Upload = typeof uploads.$inferSelect;
export type AuditEntry = typeof auditLog.$inferSelect;

// ---- Payments ---------------------------------------------------------------------
// Stripe is the source of truth: these rows mirror what its webhooks said, and every
// access change they cause is written in the same D1 batch as the event's id.

export const PURCHASE_KINDS = ["seat", "subscription"] as const;
export type PurchaseKind = (typeof PURCHASE_KINDS)[number];
export const CHECKOUT_STATUSES = ["open", "complete", "expired", "failed"] as const;
export type CheckoutStatus = (typeof CHECKOUT_STATUSES)[number];

/**
 * A Stripe Checkout Session a student started. A seat checkout is written, with a
 * `pending` enrolment that holds the seat, before Stripe is asked: a cohort is never sold
 * past its capacity, and the hold ends when the session expires or fails.
 */
export const checkouts = sqliteTable(
  "checkouts",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: PURCHASE_KINDS }).notNull(),
    cohortId: integer("cohort_id").references(() => cohorts.id, { onDelete: "set null" }),
    /** The enrolment this checkout pays for: the held seat, or the subscription's access. */
    enrollmentId: text("enrollment_id"),
    status: text("status", { enum: CHECKOUT_STATUSES }).notNull().default("open"),
    /** Stripe's cs_… id and hosted page, once Stripe has created the session. */
    stripeSessionId: text("stripe_session_id"),
    url: text("url"),
    /** Stripe's payment_status: "unpaid" until the money arrives (bank debits take days). */
    paymentStatus: text("payment_status"),
    paymentIntentId: text("payment_intent_id"),
    subscriptionId: text("subscription_id"),
    amountTotal: integer("amount_total"),
    currency: text("currency"),
    expiresAt: integer("expires_at", { mode: "timestamp" }).notNull(),
    ...timestamps,
  },
  (table) => [
    uniqueIndex("checkouts_stripe_session_unique").on(table.stripeSessionId),
    index("checkouts_cohort_hold_idx").on(table.cohortId, table.status, table.expiresAt),
    index("checkouts_user_idx").on(table.userId, table.createdAt),
  ],
);

/** Which Stripe customer a user is, so returning buyers and the billing portal find them. */
export const stripeCustomers = sqliteTable(
  "stripe_customers",
  {
    userId: text("user_id")
      .primaryKey()
      .references(() => users.id, { onDelete: "cascade" }),
    customerId: text("customer_id").notNull(),
    createdAt: timestamps.createdAt,
  },
  (table) => [uniqueIndex("stripe_customers_customer_unique").on(table.customerId)],
);

/**
 * A one-off payment for a seat, keyed by its PaymentIntent. Charge events (refunds,
 * disputes) can arrive before the checkout completes, so every column but the id may be
 * filled in by whichever event comes first.
 */
export const payments = sqliteTable(
  "payments",
  {
    id: text("id").primaryKey(),
    userId: text("user_id").references(() => users.id, { onDelete: "set null" }),
    checkoutId: text("checkout_id").references(() => checkouts.id, { onDelete: "set null" }),
    cohortId: integer("cohort_id").references(() => cohorts.id, { onDelete: "set null" }),
    enrollmentId: text("enrollment_id"),
    chargeId: text("charge_id"),
    amount: integer("amount").notNull().default(0),
    amountRefunded: integer("amount_refunded").notNull().default(0),
    currency: text("currency").notNull().default("usd"),
    receiptUrl: text("receipt_url"),
    /** True once the full amount is refunded; access goes with it. */
    refunded: integer("refunded", { mode: "boolean" }).notNull().default(false),
    /** "open" while a dispute runs; "won" or "lost" when it closes. */
    disputeStatus: text("dispute_status"),
    /** When an admin asked Stripe for a refund (access ends when Stripe confirms it). */
    refundRequestedAt: integer("refund_requested_at", { mode: "timestamp" }),
    paidAt: integer("paid_at", { mode: "timestamp" }),
    ...timestamps,
  },
  (table) => [
    index("payments_user_idx").on(table.userId),
    index("payments_paid_idx").on(table.paidAt),
    index("payments_charge_idx").on(table.chargeId),
  ],
);

/** A monthly subscription for self-paced access, as Stripe last described it. */
export const subscriptions = sqliteTable(
  "subscriptions",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    customerId: text("customer_id"),
    /** Stripe's status: incomplete, trialing, active, past_due, unpaid, paused, canceled, … */
    status: text("status").notNull(),
    currentPeriodEnd: integer("current_period_end", { mode: "timestamp" }),
    cancelAtPeriodEnd: integer("cancel_at_period_end", { mode: "boolean" }).notNull().default(false),
    /** After a failed renewal, access lasts until then; the cron suspends it afterwards. */
    graceEndsAt: integer("grace_ends_at", { mode: "timestamp" }),
    /** `created` of the newest Stripe event applied: an older one arriving late changes nothing. */
    stripeUpdatedAt: integer("stripe_updated_at").notNull().default(0),
    ...timestamps,
  },
  (table) => [index("subscriptions_user_idx").on(table.userId)],
);

/** Subscription invoices, with Stripe's hosted page and PDF for the billing page. */
export const invoices = sqliteTable(
  "invoices",
  {
    id: text("id").primaryKey(),
    userId: text("user_id").references(() => users.id, { onDelete: "set null" }),
    subscriptionId: text("subscription_id"),
    status: text("status").notNull(),
    amountDue: integer("amount_due").notNull().default(0),
    amountPaid: integer("amount_paid").notNull().default(0),
    currency: text("currency").notNull().default("usd"),
    hostedInvoiceUrl: text("hosted_invoice_url"),
    invoicePdf: text("invoice_pdf"),
    issuedAt: integer("issued_at", { mode: "timestamp" }).notNull(),
    paidAt: integer("paid_at", { mode: "timestamp" }),
    ...timestamps,
  },
  (table) => [index("invoices_user_idx").on(table.userId, table.issuedAt), index("invoices_paid_idx").on(table.paidAt)],
);

/** Every Stripe event applied, written in the same batch as its effects: a repeat is a no-op. */
export const stripeEvents = sqliteTable("stripe_events", {
  id: text("id").primaryKey(),
  type: text("type").notNull(),
  /** The event's own `created` (Stripe's clock), not when it reached us. */
  stripeCreatedAt: integer("stripe_created_at").notNull(),
  receivedAt: timestamps.createdAt,
});

/** Discounts admins create; each is a Stripe coupon with one customer-facing promotion code. */
export const coupons = sqliteTable(
  "coupons",
  {
    id: text("id").primaryKey(),
    promotionCodeId: text("promotion_code_id").notNull(),
    code: text("code").notNull(),
    percentOff: integer("percent_off"),
    amountOffCents: integer("amount_off_cents"),
    currency: text("currency"),
    expiresAt: integer("expires_at", { mode: "timestamp" }),
    maxRedemptions: integer("max_redemptions"),
    createdBy: text("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamps.createdAt,
  },
  (table) => [uniqueIndex("coupons_code_unique").on(table.code)],
);

export type Checkout = typeof checkouts.$inferSelect;
export type Payment = typeof payments.$inferSelect;
export type Subscription = typeof subscriptions.$inferSelect;
export type Invoice = typeof invoices.$inferSelect;
export type Coupon = typeof coupons.$inferSelect;
