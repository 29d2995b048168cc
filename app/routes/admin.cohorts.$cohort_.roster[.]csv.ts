import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { exportCohortRoster } from "../../db/queries/admin-cohorts.ts";
import { requireAdmin } from "~/lib/auth.server";
import { toCsv } from "~/lib/csv";
import { notFound, slugParam } from "~/lib/params";

// The cohort's roster with each student's progress, as a spreadsheet download. Each export
// is recorded in the audit log: it hands out students' names and email addresses.

const HEADER = [
  "Name",
  "Email",
  "Enrolment status",
  "Enrolled via",
  "Enrolled at (UTC)",
  "Lectures completed",
  "Lectures total",
  "Lecture completion %",
  "Quizzes passed",
  "Quizzes total",
  "Projects approved",
  "Projects required",
];

const percent = (done: number, total: number) => (total > 0 ? Math.round((done / total) * 100) : 0);

export async function loader({ params, context }: LoaderFunctionArgs) {
  const admin = await requireAdmin(context);
  const slug = slugParam(params.cohort);
  const exported = await exportCohortRoster(context.services.db, admin, slug);
  if (!exported) notFound();
  const { roster, totals } = exported;
  const rows = roster.map((student) => [
    student.name,
    student.email,
    student.status,
    student.source,
    student.enrolledAt.toISOString(),
    student.lecturesDone,
    totals.lectures,
    percent(student.lecturesDone, totals.lectures),
    student.quizzesPassed,
    totals.quizzes,
    student.projectsApproved,
    totals.projects,
  ]);
  const date = new Date().toISOString().slice(0, 10);
  return new Response(toCsv([HEADER, ...rows]), {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${slug}-roster-${date}.csv"`,
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    },
  });
}
