import { Link } from "@remix-run/react";
import type { ReactNode } from "react";
import { ColumnChart, GroupedBarChart, PercentBarChart } from "~/components/admin-charts";
import { EmptyState } from "~/components/empty-state";
import { formatMoney } from "~/lib/format";

// The analytics sections of the admin overview: each is a chart, the same numbers as a
// table, and an empty state that says what to do when there is nothing to count yet.
// The shapes mirror getAdminOverview's (db/queries/admin-analytics.ts).

export type WeeklyCount = { weekStart: string; total: number };
export type ModuleFunnel = { slug: string; title: string; viewed: number; started: number; completed: number };
export type ModulePassRate = { slug: string; title: string; attempted: number; passed: number; percent: number | null };
/** Amounts in the currency's smallest unit; `month` is "2026-11" (UTC). */
export type MonthlyRevenue = { month: string; seats: number; subscriptions: number; total: number };
export type CurrencyRevenue = { currency: string; months: MonthlyRevenue[]; thisMonth: number; total: number };

const shortDate = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", timeZone: "UTC" });
const longDate = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeZone: "UTC" });
const weekDate = (isoDate: string, format = shortDate) => format.format(new Date(`${isoDate}T00:00:00Z`));
const students = (total: number) => `${total} ${total === 1 ? "student" : "students"}`;

function Section({ id, title, intro, children }: { id: string; title: string; intro: ReactNode; children: ReactNode }) {
  return (
    <section aria-labelledby={`${id}-heading`} className="mt-10">
      <h2 id={`${id}-heading`} className="text-xl font-semibold">
        {title}
      </h2>
      <p className="mt-1 text-sm text-muted">{intro}</p>
      <div className="mt-4">{children}</div>
    </section>
  );
}

/** The chart's numbers as a real table, folded away under the chart. */
function NumbersTable({ caption, headers, rows }: { caption: string; headers: string[]; rows: ReactNode[][] }) {
  return (
    <details className="mt-3 rounded-2xl border border-line bg-surface">
      <summary className="cursor-pointer px-4 py-3 text-sm font-medium text-accent-strong">Show the numbers</summary>
      <div className="overflow-x-auto border-t border-line">
        <table className="w-full text-left text-sm">
          <caption className="sr-only">{caption}</caption>
          <thead className="border-b border-line text-muted">
            <tr>
              {headers.map((header, index) => (
                <th key={header} scope="col" className={`px-4 py-2 font-medium ${index > 0 ? "text-right" : ""}`}>
                  {header}
                </th>
              ))}
            </tr>
          </thead>
          <tbody className="divide-y divide-line">
            {rows.map(([first, ...rest], index) => (
              <tr key={index}>
                <th scope="row" className="px-4 py-2 font-medium">
                  {first}
                </th>
                {rest.map((cell, cellIndex) => (
                  <td key={cellIndex} className="px-4 py-2 text-right tabular-nums">
                    {cell}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}

function ChartCard({ children }: { children: ReactNode }) {
  return <div className="rounded-2xl border border-line bg-surface p-4">{children}</div>;
}

export function ActiveStudents({ last7Days, last30Days }: { last7Days: number; last30Days: number }) {
  return (
    <Section
      id="active"
      title="Active students"
      intro="A student is active when they opened a lecture, saved progress, attempted a quiz, submitted a project or posted in a discussion."
    >
      <dl className="grid grid-cols-2 gap-4">
        {[
          { label: "In the last 7 days", value: last7Days },
          { label: "In the last 30 days", value: last30Days },
        ].map((stat) => (
          <div key={stat.label} className="rounded-2xl border border-line bg-surface p-5">
            <dt className="text-sm text-muted">{stat.label}</dt>
            <dd className="mt-1 text-3xl font-bold">{stat.value}</dd>
          </div>
        ))}
      </dl>
    </Section>
  );
}

export function EnrolmentsChart({ weeks }: { weeks: WeeklyCount[] }) {
  const total = weeks.reduce((sum, week) => sum + week.total, 0);
  const first = weeks[0]!;
  const last = weeks.at(-1)!;
  const busiest = weeks.reduce((best, week) => (week.total > best.total ? week : best), first);
  const span = `from the week of ${weekDate(first.weekStart, longDate)} to the week of ${weekDate(last.weekStart, longDate)}`;
  return (
    <Section
      id="enrolments"
      title="Enrolments per week"
      intro="Every enrolment created in each of the last 12 weeks (weeks start on Monday, UTC), whatever its status is now."
    >
      {total === 0 ? (
        <EmptyState title="No enrolments in the last 12 weeks">
          Students appear here when they enrol. Open a cohort for enrolment on the{" "}
          <Link to="/admin/cohorts" className="text-accent-strong underline">
            cohorts page
          </Link>{" "}
          or enrol a student from{" "}
          <Link to="/admin/students" className="text-accent-strong underline">
            Students
          </Link>
          .
        </EmptyState>
      ) : (
        <>
          <ChartCard>
            <ColumnChart
              id="enrolments-chart"
              title="Enrolments per week, last 12 weeks"
              description={`${total} ${total === 1 ? "enrolment" : "enrolments"} ${span}; the busiest week began ${weekDate(busiest.weekStart, longDate)} with ${busiest.total}.`}
              columns={weeks.map((week) => ({ label: weekDate(week.weekStart), value: week.total }))}
            />
          </ChartCard>
          <NumbersTable
            caption="Enrolments per week, oldest week first"
            headers={["Week of", "Enrolments"]}
            rows={weeks.map((week) => [
              <time key="week" dateTime={week.weekStart}>
                {weekDate(week.weekStart, longDate)}
              </time>,
              week.total,
            ])}
          />
        </>
      )}
    </Section>
  );
}

const FUNNEL_STEPS = ["Viewed", "Started", "Completed"];

export function CompletionFunnel({ modules }: { modules: ModuleFunnel[] }) {
  const anyone = modules.some((module) => module.viewed + module.started + module.completed > 0);
  return (
    <Section
      id="funnel"
      title="Completion per module"
      intro="Students who opened any of a module's lectures, who started one (saved progress) and who completed every published lecture of it. Each step is counted on its own."
    >
      {modules.length === 0 ? (
        <EmptyState title="No published lectures yet">
          The funnel counts students in published modules.{" "}
          <Link to="/admin/modules" className="text-accent-strong underline">
            Publish a module and its lectures
          </Link>{" "}
          to start measuring.
        </EmptyState>
      ) : !anyone ? (
        <EmptyState title="No student has opened a lecture yet">
          Numbers appear once students open lectures. Check that enrolled students can reach the{" "}
          <Link to="/modules" className="text-accent-strong underline">
            curriculum
          </Link>
          .
        </EmptyState>
      ) : (
        <>
          <ChartCard>
            <GroupedBarChart
              id="funnel-chart"
              title="Completion funnel per module"
              description={modules
                .map(
                  (module) =>
                    `${module.title}: ${module.viewed} viewed, ${module.started} started, ${module.completed} completed.`,
                )
                .join(" ")}
              series={FUNNEL_STEPS}
              groups={modules.map((module) => ({
                label: module.title,
                values: [module.viewed, module.started, module.completed],
              }))}
            />
          </ChartCard>
          <NumbersTable
            caption="Students at each step, per module"
            headers={["Module", ...FUNNEL_STEPS]}
            rows={modules.map((module) => [module.title, module.viewed, module.started, module.completed])}
          />
        </>
      )}
    </Section>
  );
}

export function QuizPassRates({ modules }: { modules: ModulePassRate[] }) {
  const attempted = modules.some((module) => module.attempted > 0);
  return (
    <Section
      id="quizzes"
      title="Quiz pass rate per module"
      intro="Of the students who attempted a module's quiz, the share who passed it at least once."
    >
      {modules.length === 0 ? (
        <EmptyState title="No quizzes in published modules">
          Add a quiz to a module in{" "}
          <Link to="/admin/modules" className="text-accent-strong underline">
            Content
          </Link>{" "}
          and its pass rate appears here.
        </EmptyState>
      ) : !attempted ? (
        <EmptyState title="No quiz attempts yet">
          Pass rates appear once students submit quizzes; each module's quiz sits at the end of its lectures.
        </EmptyState>
      ) : (
        <>
          <ChartCard>
            <PercentBarChart
              id="quiz-chart"
              title="Quiz pass rate per module"
              description={modules
                .map((module) =>
                  module.percent === null
                    ? `${module.title}: no attempts yet.`
                    : `${module.title}: ${module.percent}%, ${module.passed} of ${students(module.attempted)} passed.`,
                )
                .join(" ")}
              bars={modules.map((module) => ({
                label: module.title,
                percent: module.percent,
                note:
                  module.percent === null
                    ? "No attempts yet"
                    : `${module.passed} of ${students(module.attempted)} passed`,
              }))}
            />
          </ChartCard>
          <NumbersTable
            caption="Quiz pass rate per module"
            headers={["Module", "Attempted", "Passed", "Pass rate"]}
            rows={modules.map((module) => [
              module.title,
              module.attempted,
              module.passed,
              module.percent === null ? "No attempts" : `${module.percent}%`,
            ])}
          />
        </>
      )}
    </Section>
  );
}

const shortMonth = new Intl.DateTimeFormat("en-GB", { month: "short", year: "2-digit", timeZone: "UTC" });
const longMonth = new Intl.DateTimeFormat("en-GB", { month: "long", year: "numeric", timeZone: "UTC" });
const monthDate = (month: string, format = shortMonth) => format.format(new Date(`${month}-01T00:00:00Z`));

/** The currency's smallest unit per major unit (100 for USD, 1 for JPY). */
const minorPerMajor = (currency: string) =>
  10 **
  (new Intl.NumberFormat("en", { style: "currency", currency: currency.toUpperCase() }).resolvedOptions()
    .maximumFractionDigits ?? 2);

/** "$1.2K": short enough for a bar's label; the table beside it has the exact amounts. */
const compactMoney = (currency: string) => {
  const format = new Intl.NumberFormat("en", {
    style: "currency",
    currency: currency.toUpperCase(),
    notation: "compact",
    maximumFractionDigits: 1,
  });
  return (major: number) => format.format(major);
};

/**
 * Money in per month: seat payments less their refunds (in the month they were paid) and paid
 * subscription invoices. One chart and table per currency; nothing is converted.
 */
export function Revenue({ revenue }: { revenue: CurrencyRevenue[] }) {
  return (
    <Section
      id="revenue"
      title="Revenue"
      intro={
        <>
          Seat payments less what was refunded of them, plus paid subscription invoices, per calendar month (UTC) for
          the last 12 months. Each payment is on{" "}
          <Link to="/admin/payments" className="text-accent-strong underline">
            Payments
          </Link>
          .
        </>
      }
    >
      <dl className="grid gap-4 sm:grid-cols-2">
        <div className="rounded-2xl border border-line bg-surface p-5">
          <dt className="text-sm text-muted">Revenue this month</dt>
          <dd className="mt-1 text-3xl font-bold break-words tabular-nums">
            {revenue.length === 0
              ? "None yet"
              : revenue.map((series) => (
                  <span key={series.currency} className="block">
                    {formatMoney(series.thisMonth, series.currency)}
                  </span>
                ))}
          </dd>
        </div>
        <div className="rounded-2xl border border-line bg-surface p-5">
          <dt className="text-sm text-muted">In the last 12 months</dt>
          <dd className="mt-1 text-3xl font-bold break-words tabular-nums">
            {revenue.length === 0
              ? "None yet"
              : revenue.map((series) => (
                  <span key={series.currency} className="block">
                    {formatMoney(series.total, series.currency)}
                  </span>
                ))}
          </dd>
        </div>
      </dl>
      {revenue.length === 0 ? (
        <div className="mt-4">
          <EmptyState title="No revenue in the last 12 months">
            Revenue appears once students pay for a seat or a subscription through Stripe. Check that Stripe is
            configured on{" "}
            <Link to="/admin/payments" className="text-accent-strong underline">
              Payments
            </Link>
            ; students can also be enrolled by hand on a{" "}
            <Link to="/admin/cohorts" className="text-accent-strong underline">
              cohort&rsquo;s page
            </Link>
            .
          </EmptyState>
        </div>
      ) : (
        revenue.map((series) => {
          const code = series.currency.toUpperCase();
          const money = (amount: number) => formatMoney(amount, series.currency);
          const perMajor = minorPerMajor(series.currency);
          const best = series.months.reduce((top, month) => (month.total > top.total ? month : top));
          const first = series.months[0]!;
          const last = series.months.at(-1)!;
          const id = `revenue-${series.currency}-chart`;
          return (
            <div key={series.currency} className="mt-4">
              <ChartCard>
                <ColumnChart
                  id={id}
                  title={`Revenue per month in ${code}, last 12 months`}
                  description={`${money(series.total)} from ${monthDate(first.month, longMonth)} to ${monthDate(last.month, longMonth)}; the best month was ${monthDate(best.month, longMonth)} with ${money(best.total)}.`}
                  columns={series.months.map((month) => ({
                    label: monthDate(month.month),
                    value: month.total / perMajor,
                  }))}
                  formatValue={compactMoney(series.currency)}
                />
              </ChartCard>
              <NumbersTable
                caption={`Revenue per month in ${code}, oldest month first`}
                headers={["Month", "Seat payments", "Subscriptions", "Total"]}
                rows={series.months.map((month) => [
                  <time key="month" dateTime={month.month}>
                    {monthDate(month.month, longMonth)}
                  </time>,
                  money(month.seats),
                  money(month.subscriptions),
                  money(month.total),
                ])}
              />
            </div>
          );
        })
      )}
    </Section>
  );
}
