import { asc, count, eq, sql, type SQL, type SQLWrapper } from "drizzle-orm";
import type { Database } from "../client.ts";
import { enrollments, invoices, modules, payments, quizzes, users } from "../schema.ts";

// The overview's analytics as batchable reads (getAdminOverview sends them in its one batch)
// plus the small functions that shape their rows. Every learning number counts students only
// (role "student"): admins previewing lectures or trying quizzes are not learners. Revenue
// counts every payment Stripe confirmed, whoever made it.

const DAY_SECONDS = 86_400;
const WEEK_SECONDS = 7 * DAY_SECONDS;
export const ENROLMENT_WEEKS = 12;
export const REVENUE_MONTHS = 12;

/** Seconds since the epoch, as every timestamp column stores them. */
const epochSeconds = (date: Date) => Math.floor(date.getTime() / 1000);

/** Monday 00:00 UTC of the week `now` falls in: weeks are bucketed in UTC, Monday first (ISO 8601). */
export function weekStartOf(now: Date): Date {
  const daysSinceMonday = (now.getUTCDay() + 6) % 7;
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - daysSinceMonday));
}

/** The first instant of the oldest week shown, and of the week after the current one. */
function enrolmentWindow(now: Date) {
  const end = epochSeconds(weekStartOf(now)) + WEEK_SECONDS;
  return { start: end - ENROLMENT_WEEKS * WEEK_SECONDS, end };
}

/** The first instant (UTC) of the oldest month shown, and of the month after the current one. */
function revenueWindow(now: Date) {
  const year = now.getUTCFullYear();
  const month = now.getUTCMonth();
  return {
    start: epochSeconds(new Date(Date.UTC(year, month - (REVENUE_MONTHS - 1), 1))),
    end: epochSeconds(new Date(Date.UTC(year, month + 1, 1))),
  };
}

/** "2026-11": the UTC calendar month of a timestamp column, as SQLite and `toISOString` both write it. */
const monthOf = (column: SQLWrapper) => sql<string>`strftime('%Y-%m', ${column}, 'unixepoch')`;

/**
 * THE definition of an active student: one who, since `since`, opened a lecture page, saved
 * progress (completion or video position), submitted a quiz attempt or a project, or posted
 * in a discussion. `last_viewed_at` and `updated_at` hold the latest of each, so a later
 * visit or save never hides activity inside the window.
 */
export function activeUserIdsSince(since: Date): SQL {
  const at = epochSeconds(since);
  return sql`select user_id from lecture_views where last_viewed_at >= ${at}
    union select user_id from lecture_progress where updated_at >= ${at}
    union select user_id from quiz_attempts where created_at >= ${at}
    union select user_id from project_submissions where created_at >= ${at}
    union select user_id from discussion_posts where created_at >= ${at}`;
}

/** True when the user id expression belongs to a student. */
const isStudent = (userId: SQL) =>
  sql`exists (select 1 from users where users.id = ${userId} and users.role = 'student')`;

/** Published lectures of the module in scope (`modules`), the set the funnel's "completed" step needs all of. */
const publishedLectureCount = sql`(select count(*) from lectures where lectures.module_id = modules.id and lectures.published = 1)`;

/** The reads behind the analytics, in the order `shapeAnalytics` expects their rows. */
export function analyticsQueries(db: Database, now: Date) {
  const { start, end } = enrolmentWindow(now);
  // Bound numbers reach SQLite as reals: cast, or the division would not truncate to a week index.
  const week = sql<number>`cast((${enrollments.createdAt} - ${start}) / ${WEEK_SECONDS} as integer)`
    .mapWith(Number)
    .as("week");
  const activeSince = (days: number) =>
    sql<number>`coalesce(sum(${users.id} in (${activeUserIdsSince(new Date(now.getTime() - days * DAY_SECONDS * 1000))})), 0)`.mapWith(
      Number,
    );
  // Per published module, each funnel step on its own: distinct students who opened any of its
  // published lectures, who have a progress row on one, and who completed all of them.
  const viewed = sql<number>`(select count(distinct lecture_views.user_id) from lecture_views
    join lectures on lectures.id = lecture_views.lecture_id
    where lectures.module_id = modules.id and lectures.published = 1 and ${isStudent(sql`lecture_views.user_id`)})`;
  const started = sql<number>`(select count(distinct lecture_progress.user_id) from lecture_progress
    join lectures on lectures.id = lecture_progress.lecture_id
    where lectures.module_id = modules.id and lectures.published = 1 and ${isStudent(sql`lecture_progress.user_id`)})`;
  const completed = sql<number>`(select count(*) from (select lecture_progress.user_id from lecture_progress
    join lectures on lectures.id = lecture_progress.lecture_id
    where lectures.module_id = modules.id and lectures.published = 1 and lecture_progress.completed_at is not null
      and ${isStudent(sql`lecture_progress.user_id`)}
    group by lecture_progress.user_id having count(*) = ${publishedLectureCount}))`;
  const attempted = sql<number>`(select count(distinct quiz_attempts.user_id) from quiz_attempts
    where quiz_attempts.quiz_id = quizzes.id and ${isStudent(sql`quiz_attempts.user_id`)})`;
  const passed = sql<number>`(select count(distinct quiz_attempts.user_id) from quiz_attempts
    where quiz_attempts.quiz_id = quizzes.id and quiz_attempts.passed = 1 and ${isStudent(sql`quiz_attempts.user_id`)})`;

  // Revenue per UTC month and currency: seat payments less what was refunded of them (counted in
  // the month they were paid), and subscription invoices paid. Each currency is summed on its own.
  const { start: revenueStart, end: revenueEnd } = revenueWindow(now);
  const seatMonth = monthOf(payments.paidAt);
  const seatCurrency = sql<string>`lower(${payments.currency})`;
  const invoiceMonth = monthOf(invoices.paidAt);
  const invoiceCurrency = sql<string>`lower(${invoices.currency})`;

  return [
    db
      .select({ week, total: count() })
      .from(enrollments)
      .where(sql`${enrollments.createdAt} >= ${start} and ${enrollments.createdAt} < ${end}`)
      .groupBy(sql`week`),
    db
      .select({ last7Days: activeSince(7).as("active_7_days"), last30Days: activeSince(30).as("active_30_days") })
      .from(users)
      .where(eq(users.role, "student")),
    db
      .select({
        slug: modules.slug,
        title: modules.title,
        lectures: sql<number>`${publishedLectureCount}`.mapWith(Number).as("published_lectures"),
        viewed: viewed.mapWith(Number).as("viewed"),
        started: started.mapWith(Number).as("started"),
        completed: completed.mapWith(Number).as("completed"),
        hasQuiz: sql<boolean>`${quizzes.id} is not null`.mapWith(Boolean).as("has_quiz"),
        attempted: attempted.mapWith(Number).as("attempted"),
        passed: passed.mapWith(Number).as("passed"),
      })
      .from(modules)
      .leftJoin(quizzes, eq(quizzes.moduleId, modules.id))
      .where(eq(modules.published, true))
      .orderBy(asc(modules.position)),
    db
      .select({
        month: seatMonth.as("revenue_month"),
        currency: seatCurrency.as("revenue_currency"),
        cents: sql<number>`coalesce(sum(${payments.amount} - ${payments.amountRefunded}), 0)`
          .mapWith(Number)
          .as("revenue_cents"),
      })
      .from(payments)
      .where(sql`${payments.paidAt} >= ${revenueStart} and ${payments.paidAt} < ${revenueEnd}`)
      .groupBy(seatMonth, seatCurrency),
    db
      .select({
        month: invoiceMonth.as("revenue_month"),
        currency: invoiceCurrency.as("revenue_currency"),
        cents: sql<number>`coalesce(sum(${invoices.amountPaid}), 0)`.mapWith(Number).as("revenue_cents"),
      })
      .from(invoices)
      .where(sql`${invoices.paidAt} >= ${revenueStart} and ${invoices.paidAt} < ${revenueEnd}`)
      .groupBy(invoiceMonth, invoiceCurrency),
  ] as const;
}

type Resolved<Queries> = { -readonly [K in keyof Queries]: Awaited<Queries[K]> };
type AnalyticsRows = Resolved<ReturnType<typeof analyticsQueries>>;

export type WeeklyCount = { weekStart: string; total: number };
export type ModuleFunnel = { slug: string; title: string; viewed: number; started: number; completed: number };
export type ModulePassRate = { slug: string; title: string; attempted: number; passed: number; percent: number | null };
/** One month's revenue in one currency, in its smallest unit; `month` is "2026-11" (UTC). */
export type MonthlyRevenue = { month: string; seats: number; subscriptions: number; total: number };
/** A currency's last 12 months, oldest first (zeros too), with this month's and the whole window's totals. */
export type CurrencyRevenue = { currency: string; months: MonthlyRevenue[]; thisMonth: number; total: number };

/** Every month of the window, oldest first, as "YYYY-MM". */
function revenueMonths(now: Date): string[] {
  return Array.from({ length: REVENUE_MONTHS }, (_, index) =>
    new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - (REVENUE_MONTHS - 1) + index, 1))
      .toISOString()
      .slice(0, 7),
  );
}

type RevenueRow = { month: string; currency: string; cents: number };

/** Seat and invoice rows as one series per currency, the currency that brought in most first. */
export function shapeRevenue(seatRows: RevenueRow[], invoiceRows: RevenueRow[], now: Date): CurrencyRevenue[] {
  const months = revenueMonths(now);
  const byCurrency = new Map<string, Map<string, { seats: number; subscriptions: number }>>();
  const add = (rows: RevenueRow[], key: "seats" | "subscriptions") => {
    for (const row of rows) {
      const currency = byCurrency.get(row.currency) ?? new Map();
      byCurrency.set(row.currency, currency);
      const month = currency.get(row.month) ?? { seats: 0, subscriptions: 0 };
      month[key] += row.cents;
      currency.set(row.month, month);
    }
  };
  add(seatRows, "seats");
  add(invoiceRows, "subscriptions");
  return [...byCurrency.entries()]
    .map(([currency, totals]) => {
      const series = months.map((month) => {
        const { seats, subscriptions } = totals.get(month) ?? { seats: 0, subscriptions: 0 };
        return { month, seats, subscriptions, total: seats + subscriptions };
      });
      return {
        currency,
        months: series,
        thisMonth: series.at(-1)!.total,
        total: series.reduce((sum, month) => sum + month.total, 0),
      };
    })
    .sort((a, b) => b.total - a.total || a.currency.localeCompare(b.currency));
}

/** Rows of `analyticsQueries` as the page shows them: every week present (zeros too), oldest first. */
export function shapeAnalytics(
  [weekRows, activeRows, moduleRows, seatRevenue, invoiceRevenue]: AnalyticsRows,
  now: Date,
) {
  const { start } = enrolmentWindow(now);
  const totals = new Map(weekRows.map((row) => [row.week, row.total]));
  const enrolmentsByWeek: WeeklyCount[] = Array.from({ length: ENROLMENT_WEEKS }, (_, week) => ({
    weekStart: new Date((start + week * WEEK_SECONDS) * 1000).toISOString().slice(0, 10),
    total: totals.get(week) ?? 0,
  }));
  const funnel: ModuleFunnel[] = moduleRows
    .filter((row) => row.lectures > 0)
    .map(({ slug, title, viewed, started, completed }) => ({ slug, title, viewed, started, completed }));
  const passRates: ModulePassRate[] = moduleRows
    .filter((row) => row.hasQuiz)
    .map(({ slug, title, attempted, passed }) => ({
      slug,
      title,
      attempted,
      passed,
      percent: attempted === 0 ? null : Math.round((passed / attempted) * 100),
    }));
  return {
    enrolmentsByWeek,
    activeStudents: { last7Days: activeRows[0]?.last7Days ?? 0, last30Days: activeRows[0]?.last30Days ?? 0 },
    funnel,
    passRates,
    revenue: shapeRevenue(seatRevenue, invoiceRevenue, now),
  };
}
