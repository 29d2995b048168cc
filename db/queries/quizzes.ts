import { and, asc, desc, eq, sql } from "drizzle-orm";
import * as z from "zod";
import type { CurrentUser } from "../../worker/auth/context.ts";
import { batchable, type Database } from "../client.ts";
import { modules, quizAttempts, quizQuestions, quizzes, type QuestionKind } from "../schema.ts";
import {
  fullAccessSql,
  loadReleaseSchedule,
  moduleOpening,
  opensOnText,
  releasedModuleSql,
  viewerId,
  type OpeningData,
  type ReleaseSchedule,
  type Viewer,
} from "./access.ts";
import { issueCertificateIfEarned } from "./certificates.ts";

// Module quizzes. Grading happens here, on the server, and only here: the answer key
// (quiz_questions.answer_key_json) is read by `submitAttempt` alone. Every query that
// feeds a page or the API selects columns explicitly and never that one.

/** An option as students see it: a short stable id ("a", "b", …) and its HTML. */
export type QuizOption = { id: string; html: string };

/** A question as students see it before answering. */
export type QuizQuestionView = {
  id: number;
  position: number;
  kind: QuestionKind;
  promptHtml: string;
  options: QuizOption[];
};

/** How one question of a submitted attempt was graded; kept with the attempt as it was. */
export type QuestionFeedback = {
  questionId: number;
  position: number;
  kind: QuestionKind;
  promptHtml: string;
  options: QuizOption[];
  /** What the student answered: option ids, or the typed text as one entry. */
  given: string[];
  correct: boolean;
  /** The correct option ids, or every accepted short answer. */
  expected: string[];
  explanationHtml: string;
};

/** The longest short answer accepted from a student (answers are commands, ports, flags). */
export const SHORT_ANSWER_MAX_LENGTH = 200;

/** One answer per question id: an option id, several option ids, or typed text. */
export const quizAnswersSchema = z.record(
  z.string().regex(/^\d{1,10}$/, "Question ids are whole numbers."),
  z.union([
    z.string().max(SHORT_ANSWER_MAX_LENGTH, `Answers can be up to ${SHORT_ANSWER_MAX_LENGTH} characters.`),
    z.array(z.string().max(20)).max(10),
  ]),
);

export type QuizAnswers = z.infer<typeof quizAnswersSchema>;

export type SubmissionIssue = { questionId: number | null; path: string; message: string };

/** Why a submission was refused. Nothing is written when one of these is thrown. */
export class QuizSubmissionError extends Error {
  readonly reason: "not_found" | "locked" | "not_released" | "invalid_answers";
  readonly issues: SubmissionIssue[];
  /** Set with `not_released`: when the module opens for the student's cohort. */
  readonly opening: OpeningData | null;

  constructor(
    reason: QuizSubmissionError["reason"],
    message: string,
    issues: SubmissionIssue[] = [],
    opening: OpeningData | null = null,
  ) {
    super(message);
    this.name = "QuizSubmissionError";
    this.reason = reason;
    this.issues = issues;
    this.opening = opening;
  }
}

// ---- Reads -------------------------------------------------------------------------

const publishedModule = (moduleSlug: string) => and(eq(modules.slug, moduleSlug), eq(modules.published, true));

/** Full access to a module the viewer's drip schedule has released: what opens its quiz. */
const openModuleSql = (viewer: Viewer, schedule: ReleaseSchedule) =>
  sql<boolean>`(${fullAccessSql(viewer)} and ${releasedModuleSql(schedule, sql`modules.id`)})`;

/** "The quiz of "X" opens on …": the refusal for a module not released yet. */
export function notReleasedMessage(moduleTitle: string, opening: OpeningData): string {
  return `The quiz of "${moduleTitle}" ${opensOnText(opening)} for your cohort.`;
}

/** The quiz of a published module, with the viewer's access. Never the key. */
function quizHeader(db: Database, moduleSlug: string, viewer: Viewer) {
  return db
    .select({
      id: quizzes.id,
      title: quizzes.title,
      passPercent: quizzes.passPercent,
      moduleId: sql<number>`${modules.id}`.as("module_id"),
      moduleSlug: sql<string>`${modules.slug}`.as("module_slug"),
      moduleTitle: sql<string>`${modules.title}`.as("module_title"),
      questionCount: sql<number>`(select count(*) from quiz_questions where quiz_questions.quiz_id = ${quizzes.id})`
        .mapWith(Number)
        .as("question_count"),
      fullAccess: fullAccessSql(viewer).mapWith(Boolean).as("full_access"),
    })
    .from(quizzes)
    .innerJoin(modules, eq(quizzes.moduleId, modules.id))
    .where(publishedModule(moduleSlug))
    .limit(1);
}

/** The questions, only for viewers with full access to a released module (decided in SQL). */
function questionRows(db: Database, moduleSlug: string, viewer: Viewer, schedule: ReleaseSchedule) {
  return db
    .select({
      id: quizQuestions.id,
      position: quizQuestions.position,
      kind: quizQuestions.kind,
      promptHtml: quizQuestions.promptHtml,
      optionsJson: quizQuestions.optionsJson,
    })
    .from(quizQuestions)
    .innerJoin(quizzes, eq(quizQuestions.quizId, quizzes.id))
    .innerJoin(modules, eq(quizzes.moduleId, modules.id))
    .where(and(publishedModule(moduleSlug), openModuleSql(viewer, schedule)))
    .orderBy(asc(quizQuestions.position));
}

/** The actor's own attempts at a module's quiz, newest first (scores only, no feedback). */
export function listOwnAttempts(db: Database, viewer: Viewer, moduleSlug: string) {
  return db
    .select({
      id: quizAttempts.id,
      correctCount: quizAttempts.correctCount,
      questionCount: quizAttempts.questionCount,
      scorePercent: quizAttempts.scorePercent,
      passed: quizAttempts.passed,
      createdAt: quizAttempts.createdAt,
    })
    .from(quizAttempts)
    .innerJoin(quizzes, eq(quizAttempts.quizId, quizzes.id))
    .innerJoin(modules, eq(quizzes.moduleId, modules.id))
    .where(and(eq(quizAttempts.userId, viewerId(viewer)), publishedModule(moduleSlug)))
    .orderBy(desc(quizAttempts.createdAt), sql`quiz_attempts.rowid desc`);
}

export type AttemptSummary = Awaited<ReturnType<typeof listOwnAttempts>>[number];

/**
 * Everything the quiz page shows, in one round trip: the quiz, its questions (without
 * the key, and only with full access) and the viewer's own attempts. Null when the
 * module is unknown, unpublished or has no quiz. `opening` says when a module the cohort's
 * schedule has not released yet opens (the quiz is locked until then).
 */
export async function getQuizForViewer(db: Database, moduleSlug: string, viewer: Viewer, schedule?: ReleaseSchedule) {
  const released = schedule ?? (await loadReleaseSchedule(db, viewer));
  const [headerRows, questions, attempts] = await db.batch([
    quizHeader(db, moduleSlug, viewer),
    questionRows(db, moduleSlug, viewer, released),
    listOwnAttempts(db, viewer, moduleSlug),
  ]);
  const header = headerRows[0];
  if (!header) return null;
  const { fullAccess, moduleId, ...quiz } = header;
  const opening = fullAccess ? moduleOpening(released, moduleId) : null;
  return {
    quiz,
    locked: !fullAccess || opening !== null,
    opening,
    questions: questions.map(({ optionsJson, ...question }): QuizQuestionView => ({
      ...question,
      options: JSON.parse(optionsJson) as QuizOption[],
    })),
    attempts,
  };
}

export type QuizForViewer = NonNullable<Awaited<ReturnType<typeof getQuizForViewer>>>;

/**
 * One attempt of the actor's, by id, scoped to them and to the module: another student's
 * id finds nothing. `locked` says the actor no longer has access (a lapsed enrolment):
 * the feedback holds course material, so callers show it only with access.
 */
export async function getOwnAttempt(db: Database, actor: CurrentUser, moduleSlug: string, attemptId: string) {
  const schedule = await loadReleaseSchedule(db, actor);
  const rows = await db
    .select({
      id: quizAttempts.id,
      correctCount: quizAttempts.correctCount,
      questionCount: quizAttempts.questionCount,
      scorePercent: quizAttempts.scorePercent,
      passed: quizAttempts.passed,
      feedbackJson: quizAttempts.feedbackJson,
      createdAt: quizAttempts.createdAt,
      quizTitle: sql<string>`${quizzes.title}`.as("quiz_title"),
      passPercent: quizzes.passPercent,
      moduleId: sql<number>`${modules.id}`.as("module_id"),
      moduleSlug: sql<string>`${modules.slug}`.as("module_slug"),
      moduleTitle: sql<string>`${modules.title}`.as("module_title"),
      fullAccess: fullAccessSql(actor).mapWith(Boolean).as("full_access"),
    })
    .from(quizAttempts)
    .innerJoin(quizzes, eq(quizAttempts.quizId, quizzes.id))
    .innerJoin(modules, eq(quizzes.moduleId, modules.id))
    .where(and(eq(quizAttempts.id, attemptId), eq(quizAttempts.userId, actor.id), publishedModule(moduleSlug)))
    .limit(1);
  const row = rows[0];
  if (!row) return null;
  const { feedbackJson, fullAccess, moduleId, ...attempt } = row;
  // A module closed again for the student (its cohort's dates moved) hides the feedback too.
  const opening = fullAccess ? moduleOpening(schedule, moduleId) : null;
  return {
    attempt,
    locked: !fullAccess || opening !== null,
    opening,
    feedback: JSON.parse(feedbackJson) as QuestionFeedback[],
  };
}

export type OwnAttempt = NonNullable<Awaited<ReturnType<typeof getOwnAttempt>>>;

/**
 * Per published module that has a quiz, in curriculum order: the actor's best score,
 * whether they ever passed, how often they tried and when last. A builder, so the
 * dashboard can put it in its own batch.
 */
export function quizSummaryForDashboard(db: Database, actor: CurrentUser) {
  return db
    .select({
      moduleSlug: sql<string>`${modules.slug}`.as("module_slug"),
      moduleTitle: sql<string>`${modules.title}`.as("module_title"),
      quizTitle: sql<string>`${quizzes.title}`.as("quiz_title"),
      passPercent: quizzes.passPercent,
      /** Null until the first attempt. */
      bestScore: sql<number | null>`max(${quizAttempts.scorePercent})`.as("best_score"),
      passed: sql<boolean>`coalesce(max(${quizAttempts.passed}), 0)`.mapWith(Boolean).as("passed"),
      attemptCount: sql<number>`count(${quizAttempts.id})`.mapWith(Number).as("attempt_count"),
      lastAttemptAt: sql<Date | null>`max(${quizAttempts.createdAt})`
        .mapWith(quizAttempts.createdAt)
        .as("last_attempt_at"),
    })
    .from(quizzes)
    .innerJoin(modules, eq(quizzes.moduleId, modules.id))
    .leftJoin(quizAttempts, and(eq(quizAttempts.quizId, quizzes.id), eq(quizAttempts.userId, actor.id)))
    .where(eq(modules.published, true))
    .groupBy(quizzes.id)
    .orderBy(asc(modules.position));
}

export type QuizDashboardRow = Awaited<ReturnType<typeof quizSummaryForDashboard>>[number];

// ---- Grading -----------------------------------------------------------------------

/** A question as the grader sees it: with its key. */
export type GradableQuestion = QuizQuestionView & { answerKey: string[]; explanationHtml: string };

/** How short answers are compared: case, surrounding and repeated inner spaces do not matter. */
export function normalizeShortAnswer(value: string): string {
  return value.trim().toLowerCase().replace(/\s+/g, " ");
}

function isCorrect(question: GradableQuestion, given: string[]): boolean {
  if (question.kind === "short") {
    const typed = normalizeShortAnswer(given[0] ?? "");
    return typed !== "" && question.answerKey.some((accepted) => normalizeShortAnswer(accepted) === typed);
  }
  // Single and multiple choice: the chosen set must be exactly the key set.
  const chosen = new Set(given);
  return chosen.size === question.answerKey.length && question.answerKey.every((id) => chosen.has(id));
}

/**
 * Grades answers against the key. Pure: no I/O. A missing answer counts as wrong. The
 * score is rounded down, so "score >= pass mark" and "passed" always agree.
 */
export function gradeQuiz(questions: GradableQuestion[], answers: QuizAnswers, passPercent: number) {
  const feedback: QuestionFeedback[] = questions.map((question) => {
    const answer = answers[String(question.id)];
    const given = answer === undefined ? [] : Array.isArray(answer) ? answer : [answer];
    return {
      questionId: question.id,
      position: question.position,
      kind: question.kind,
      promptHtml: question.promptHtml,
      options: question.options,
      given,
      correct: isCorrect(question, given),
      expected: question.answerKey,
      explanationHtml: question.explanationHtml,
    };
  });
  const questionCount = questions.length;
  const correctCount = feedback.filter((item) => item.correct).length;
  const scorePercent = questionCount === 0 ? 0 : Math.floor((correctCount * 100) / questionCount);
  return { correctCount, questionCount, scorePercent, passed: scorePercent >= passPercent, feedback };
}

/** Every problem with a set of answers, each naming its question. Empty when they can be graded. */
export function checkAnswers(questions: QuizQuestionView[], answers: QuizAnswers): SubmissionIssue[] {
  const issues: SubmissionIssue[] = [];
  const byId = new Map(questions.map((question) => [String(question.id), question]));
  for (const id of Object.keys(answers)) {
    if (!byId.has(id))
      issues.push({ questionId: null, path: `answers.${id}`, message: `No question ${id} in this quiz.` });
  }
  for (const question of questions) {
    const problem = answerProblem(question, answers[String(question.id)]);
    if (problem) {
      issues.push({
        questionId: question.id,
        path: `answers.${question.id}`,
        message: `Question ${question.position}: ${problem}`,
      });
    }
  }
  return issues;
}

function answerProblem(question: QuizQuestionView, answer: string | string[] | undefined): string | null {
  const optionIds = new Set(question.options.map((option) => option.id));
  const unknown = (ids: string[]) => ids.find((id) => !optionIds.has(id));
  switch (question.kind) {
    case "short":
      if (answer === undefined || (typeof answer === "string" && answer.trim() === "")) return "type an answer.";
      return typeof answer === "string" ? null : "a short answer is one string of text.";
    case "single":
      if (answer === undefined || answer === "") return "choose one option.";
      if (typeof answer !== "string") return "single choice takes one option id as a string.";
      return optionIds.has(answer) ? null : `"${answer}" is not one of its options.`;
    case "multiple": {
      if (answer === undefined) return "choose at least one option.";
      if (!Array.isArray(answer)) return "multiple choice takes an array of option ids.";
      if (answer.length === 0) return "choose at least one option.";
      const wrong = unknown(answer);
      if (wrong !== undefined) return `"${wrong}" is not one of its options.`;
      return new Set(answer).size === answer.length ? null : "each option can be chosen once.";
    }
  }
}

// ---- Writes ------------------------------------------------------------------------

/**
 * Grades the actor's answers for a module's quiz and records the attempt. Every answer
 * must name a real question and real options, and every question needs an answer;
 * otherwise a QuizSubmissionError is thrown and nothing is written. Passing may complete
 * the programme, so the certificate check rides in the same batch as the attempt.
 */
export async function submitAttempt(db: Database, actor: CurrentUser, moduleSlug: string, answers: QuizAnswers) {
  const schedule = await loadReleaseSchedule(db, actor);
  const [headerRows, keyRows] = await db.batch([
    quizHeader(db, moduleSlug, actor),
    // The one read of the answer key, for grading. Nothing else selects it.
    db
      .select({
        id: quizQuestions.id,
        position: quizQuestions.position,
        kind: quizQuestions.kind,
        promptHtml: quizQuestions.promptHtml,
        optionsJson: quizQuestions.optionsJson,
        answerKeyJson: quizQuestions.answerKeyJson,
        explanationHtml: quizQuestions.explanationHtml,
      })
      .from(quizQuestions)
      .innerJoin(quizzes, eq(quizQuestions.quizId, quizzes.id))
      .innerJoin(modules, eq(quizzes.moduleId, modules.id))
      .where(and(publishedModule(moduleSlug), openModuleSql(actor, schedule)))
      .orderBy(asc(quizQuestions.position)),
  ]);
  const header = headerRows[0];
  if (!header) throw new QuizSubmissionError("not_found", `Module "${moduleSlug}" has no quiz.`);
  if (!header.fullAccess) {
    throw new QuizSubmissionError("locked", `The quiz of "${header.moduleTitle}" is open to enrolled students.`);
  }
  const opening = moduleOpening(schedule, header.moduleId);
  if (opening) {
    throw new QuizSubmissionError("not_released", notReleasedMessage(header.moduleTitle, opening), [], opening);
  }

  const questions: GradableQuestion[] = keyRows.map(({ optionsJson, answerKeyJson, ...question }) => ({
    ...question,
    options: JSON.parse(optionsJson) as QuizOption[],
    answerKey: JSON.parse(answerKeyJson) as string[],
  }));
  const issues = checkAnswers(questions, answers);
  if (issues.length > 0) {
    throw new QuizSubmissionError("invalid_answers", "Some answers are missing or not valid for this quiz.", issues);
  }

  const graded = gradeQuiz(questions, answers, header.passPercent);
  const id = crypto.randomUUID().replaceAll("-", "");
  const createdAt = new Date(Math.floor(Date.now() / 1000) * 1000);
  const [inserted] = await db.batch([
    // Guarded by access again in SQL: an enrolment that ended a moment ago writes nothing.
    batchable(
      db,
      db.run(sql`
      insert into quiz_attempts (id, user_id, quiz_id, correct_count, question_count, score_percent, passed, feedback_json, created_at)
      select ${id}, ${actor.id}, ${header.id}, ${graded.correctCount}, ${graded.questionCount}, ${graded.scorePercent},
        ${graded.passed ? 1 : 0}, ${JSON.stringify(graded.feedback)}, ${createdAt.getTime() / 1000}
      from modules where modules.id = ${header.moduleId} and ${openModuleSql(actor, schedule)}
    `),
    ),
    issueCertificateIfEarned(db, actor.id),
  ]);
  if (!inserted?.meta.changes) {
    throw new QuizSubmissionError("locked", `The quiz of "${header.moduleTitle}" is open to enrolled students.`);
  }
  return {
    id,
    moduleSlug: header.moduleSlug,
    passPercent: header.passPercent,
    correctCount: graded.correctCount,
    questionCount: graded.questionCount,
    scorePercent: graded.scorePercent,
    passed: graded.passed,
    feedback: graded.feedback,
    createdAt,
  };
}

export type SubmittedAttempt = Awaited<ReturnType<typeof submitAttempt>>;
