import { and, asc, eq, sql } from "drizzle-orm";
import type { SelectedFields } from "drizzle-orm/sqlite-core";
import * as z from "zod";
import type { CurrentUser } from "../../worker/auth/context.ts";
import type { Database } from "../client.ts";
import { interviewCards, interviewQuestions, interviewTopics, type ReviewRating } from "../schema.ts";
import { fullAccessSql } from "./access.ts";
import { DAY, ratingChoices, scheduleReview, type CardState, type RatingChoice } from "./interview-scheduler.ts";

// Interview practice: each student's own spaced-repetition cards over the shared question
// bank. Every query is scoped to the acting user, and practice is open to those with full
// access (admins, students with an active enrolment); others get a typed refusal they can
// show as "what this contains and how to get in", never an error page.

const seconds = (date: Date) => Math.floor(date.getTime() / 1000);

/**
 * The card's state as a form saw it: "new" for a question never rated, otherwise the
 * card's reviewed_at in unix seconds. A rating applies only while this still matches.
 */
export type ExpectedCard = "new" | number;

export const expectedCardSchema = z.union(
  [
    z.literal("new"),
    z
      .string()
      .regex(/^\d{1,12}$/)
      .transform(Number),
  ],
  { message: "This page is out of date: reload it and rate the question again." },
);

/** Per-topic counts for the actor at `now`. Grouped in SQL so it stays one row per topic. */
function topicCountColumns(now: Date) {
  return {
    total: sql<number>`count(${interviewQuestions.id})`.mapWith(Number).as("total_count"),
    due: sql<number>`count(case when ${interviewCards.dueAt} <= ${seconds(now)} then 1 end)`
      .mapWith(Number)
      .as("due_count"),
    new: sql<number>`count(${interviewQuestions.id}) - count(${interviewCards.questionId})`
      .mapWith(Number)
      .as("new_count"),
    /** Cards that graduated from learning (interval of a day or more). */
    learned: sql<number>`count(case when ${interviewCards.intervalMinutes} >= ${DAY} then 1 end)`
      .mapWith(Number)
      .as("learned_count"),
  };
}

function topicsWithCounts<Fields extends SelectedFields>(db: Database, actor: CurrentUser, now: Date, fields: Fields) {
  return db
    .select({ ...fields, ...topicCountColumns(now) })
    .from(interviewTopics)
    .leftJoin(interviewQuestions, eq(interviewQuestions.topicId, interviewTopics.id))
    .leftJoin(
      interviewCards,
      and(eq(interviewCards.questionId, interviewQuestions.id), eq(interviewCards.userId, actor.id)),
    )
    .groupBy(interviewTopics.id)
    .orderBy(asc(interviewTopics.position));
}

/**
 * Builder for the dashboard's batch: per topic, the actor's due and new counts and the
 * topic's size. Students without full access have no cards, so theirs read due 0, new = total.
 */
export function practiceSummaryForDashboard(db: Database, actor: CurrentUser, now: Date) {
  return topicsWithCounts(db, actor, now, { slug: interviewTopics.slug, title: interviewTopics.title });
}

export type PracticeSummaryRow = Awaited<ReturnType<typeof practiceSummaryForDashboard>>[number];

function fullAccessRow(db: Database, actor: CurrentUser) {
  return db.select({ fullAccess: fullAccessSql(actor).mapWith(Boolean).as("full_access") }).from(sql`(select 1)`);
}

export type PracticeTopic = {
  slug: string;
  title: string;
  summary: string;
  total: number;
  due: number;
  new: number;
  learned: number;
};

export type PracticeTopics =
  | { access: "full"; topics: PracticeTopic[]; totals: { due: number; new: number; total: number } }
  | { access: "enrollment_required"; topics: Array<Pick<PracticeTopic, "slug" | "title" | "summary" | "total">> };

/** Every topic with the actor's counts; for students without access, only what the bank contains. */
export async function listPracticeTopics(db: Database, actor: CurrentUser, now: Date): Promise<PracticeTopics> {
  const [accessRows, rows] = await db.batch([
    fullAccessRow(db, actor),
    topicsWithCounts(db, actor, now, {
      slug: interviewTopics.slug,
      title: interviewTopics.title,
      summary: interviewTopics.summary,
    }),
  ]);
  if (!accessRows[0]?.fullAccess) {
    return {
      access: "enrollment_required",
      topics: rows.map(({ slug, title, summary, total }) => ({ slug, title, summary, total })),
    };
  }
  const totals = { due: 0, new: 0, total: 0 };
  for (const row of rows) {
    totals.due += row.due;
    totals.new += row.new;
    totals.total += row.total;
  }
  return { access: "full", topics: rows, totals };
}

export type PracticeCard = {
  questionId: number;
  position: number;
  prompt: string;
  answerHtml: string;
  /** Never rated by this student before. */
  isNew: boolean;
  /** What the rating form sends back as `expected`. */
  expected: ExpectedCard;
  /** The four buttons, each with the interval it would give this card. */
  choices: RatingChoice[];
};

export type NextCard =
  | { status: "not_found" }
  | { status: "enrollment_required"; topic: Pick<PracticeTopic, "slug" | "title" | "summary" | "total"> }
  | { status: "card"; topic: PracticeTopic; card: PracticeCard }
  | { status: "caught_up"; topic: PracticeTopic; nextDueAt: Date | null };

const cardColumns = {
  questionId: interviewQuestions.id,
  position: interviewQuestions.position,
  prompt: interviewQuestions.prompt,
  answerHtml: interviewQuestions.answerHtml,
};

/**
 * What to practise next in a topic: the due card that has waited longest, otherwise the
 * next new question in bank order, otherwise nothing, with when the next card falls due.
 * One round trip; card content is only read for actors with full access.
 */
export async function nextCard(db: Database, actor: CurrentUser, topicSlug: string, now: Date): Promise<NextCard> {
  const access = fullAccessSql(actor);
  const inTopic = eq(interviewTopics.slug, topicSlug);
  const ownCard = and(eq(interviewCards.questionId, interviewQuestions.id), eq(interviewCards.userId, actor.id));
  const [topicRows, accessRows, dueRows, newRows, upcomingRows] = await db.batch([
    topicsWithCounts(db, actor, now, {
      slug: interviewTopics.slug,
      title: interviewTopics.title,
      summary: interviewTopics.summary,
    }).where(inTopic),
    fullAccessRow(db, actor),
    db
      .select({
        ...cardColumns,
        easePermille: interviewCards.easePermille,
        intervalMinutes: interviewCards.intervalMinutes,
        repetitions: interviewCards.repetitions,
        lapses: interviewCards.lapses,
        reviewedAt: interviewCards.reviewedAt,
      })
      .from(interviewCards)
      .innerJoin(interviewQuestions, eq(interviewQuestions.id, interviewCards.questionId))
      .innerJoin(interviewTopics, eq(interviewTopics.id, interviewQuestions.topicId))
      .where(and(inTopic, eq(interviewCards.userId, actor.id), sql`${interviewCards.dueAt} <= ${seconds(now)}`, access))
      .orderBy(asc(interviewCards.dueAt), asc(interviewQuestions.position))
      .limit(1),
    db
      .select(cardColumns)
      .from(interviewQuestions)
      .innerJoin(interviewTopics, eq(interviewTopics.id, interviewQuestions.topicId))
      .leftJoin(interviewCards, ownCard)
      .where(and(inTopic, sql`${interviewCards.questionId} is null`, access))
      .orderBy(asc(interviewQuestions.position))
      .limit(1),
    db
      .select({ dueAt: sql<number | null>`min(${interviewCards.dueAt})`.as("next_due_at") })
      .from(interviewCards)
      .innerJoin(interviewQuestions, eq(interviewQuestions.id, interviewCards.questionId))
      .innerJoin(interviewTopics, eq(interviewTopics.id, interviewQuestions.topicId))
      .where(and(inTopic, eq(interviewCards.userId, actor.id), sql`${interviewCards.dueAt} > ${seconds(now)}`)),
  ]);

  const topic = topicRows[0];
  if (!topic) return { status: "not_found" };
  if (!accessRows[0]?.fullAccess) {
    const { slug, title, summary, total } = topic;
    return { status: "enrollment_required", topic: { slug, title, summary, total } };
  }

  const due = dueRows[0];
  if (due) {
    const { reviewedAt, easePermille, intervalMinutes, repetitions, lapses, ...question } = due;
    const state: CardState = { easePermille, intervalMinutes, repetitions, lapses };
    return {
      status: "card",
      topic,
      card: { ...question, isNew: false, expected: seconds(reviewedAt), choices: ratingChoices(state, now) },
    };
  }
  const fresh = newRows[0];
  if (fresh) {
    return {
      status: "card",
      topic,
      card: { ...fresh, isNew: true, expected: "new", choices: ratingChoices(null, now) },
    };
  }
  const nextDue = upcomingRows[0]?.dueAt;
  return { status: "caught_up", topic, nextDueAt: nextDue == null ? null : new Date(Number(nextDue) * 1000) };
}

export type RecordReviewResult =
  | { applied: true; rating: ReviewRating; intervalMinutes: number; dueAt: Date }
  | {
      applied: false;
      /** not_found: no such question; enrollment_required: no access; stale: already rated from this state. */
      reason: "not_found" | "enrollment_required" | "stale";
    };

/**
 * Rates a card for the actor. The write is a single guarded statement: it applies only if
 * the card is still in the state the form showed (`expected`), so a double-clicked,
 * replayed or resubmitted form schedules a card once. Two tabs racing converge the same way.
 */
export async function recordReview(
  db: Database,
  actor: CurrentUser,
  questionId: number,
  rating: ReviewRating,
  expected: ExpectedCard,
  now: Date = new Date(),
): Promise<RecordReviewResult> {
  const access = fullAccessSql(actor);
  const [questionRows, cardRows] = await db.batch([
    db
      .select({ id: interviewQuestions.id, fullAccess: access.mapWith(Boolean).as("full_access") })
      .from(interviewQuestions)
      .where(eq(interviewQuestions.id, questionId)),
    db
      .select({
        easePermille: interviewCards.easePermille,
        intervalMinutes: interviewCards.intervalMinutes,
        repetitions: interviewCards.repetitions,
        lapses: interviewCards.lapses,
        reviewedAt: interviewCards.reviewedAt,
      })
      .from(interviewCards)
      .where(and(eq(interviewCards.userId, actor.id), eq(interviewCards.questionId, questionId))),
  ]);
  const question = questionRows[0];
  if (!question) return { applied: false, reason: "not_found" };
  if (!question.fullAccess) return { applied: false, reason: "enrollment_required" };

  const card = cardRows[0] ?? null;
  const seen = card ? seconds(card.reviewedAt) : "new";
  if (seen !== expected) return { applied: false, reason: "stale" };

  const next = scheduleReview(card, rating, now);
  // reviewed_at is also the card's version, so it must move on with every review, even
  // two within the same second: otherwise a replay of the second form would match again.
  const reviewedAt = card ? Math.max(seconds(now), seconds(card.reviewedAt) + 1) : seconds(now);
  const result =
    card === null
      ? await db.run(sql`
          insert into interview_cards
            (user_id, question_id, ease_permille, interval_minutes, repetitions, lapses, last_rating, due_at, reviewed_at)
          select ${actor.id}, interview_questions.id, ${next.easePermille}, ${next.intervalMinutes},
            ${next.repetitions}, ${next.lapses}, ${rating}, ${seconds(next.dueAt)}, ${reviewedAt}
          from interview_questions where interview_questions.id = ${questionId} and ${access}
          on conflict (user_id, question_id) do nothing`)
      : await db.run(sql`
          update interview_cards set
            ease_permille = ${next.easePermille}, interval_minutes = ${next.intervalMinutes},
            repetitions = ${next.repetitions}, lapses = ${next.lapses}, last_rating = ${rating},
            due_at = ${seconds(next.dueAt)}, reviewed_at = ${reviewedAt}, updated_at = unixepoch()
          where user_id = ${actor.id} and question_id = ${questionId} and reviewed_at = ${expected} and ${access}`);

  if (result.meta.changes === 0) return { applied: false, reason: "stale" };
  return { applied: true, rating, intervalMinutes: next.intervalMinutes, dueAt: next.dueAt };
}
