import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/cloudflare";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { listStudents, STUDENT_STATUSES, type StudentFilter } from "../../db/queries/admin-students.ts";
import { ROLES } from "../../db/schema.ts";
import { AdminStudentTable, type StudentRow } from "~/components/admin-student-table";
import { Breadcrumbs } from "~/components/breadcrumbs";
import { EmptyState } from "~/components/empty-state";
import { ErrorPage } from "~/components/error-page";
import { requireAdmin } from "~/lib/auth.server";
import { pageMeta } from "~/lib/site";

export const meta: MetaFunction = () => [...pageMeta("Students · Admin"), { name: "robots", content: "noindex" }];

const SELECT_CLASS = "mt-1.5 block w-full rounded-lg border border-line bg-surface px-3 py-2";

/** The query string as a filter; anything unknown is ignored rather than refused. */
function readFilter(url: URL): Required<Pick<StudentFilter, "page">> & StudentFilter {
  const q = (url.searchParams.get("q") ?? "").trim().slice(0, 200);
  const role = ROLES.find((value) => value === url.searchParams.get("role"));
  const status = STUDENT_STATUSES.find((value) => value === url.searchParams.get("status"));
  const page = Number.parseInt(url.searchParams.get("page") ?? "1", 10);
  return { q: q || undefined, role, status, page: Number.isFinite(page) && page > 0 ? Math.min(page, 10_000) : 1 };
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const admin = await requireAdmin(context);
  const filter = readFilter(new URL(request.url));
  const result = await listStudents(context.services.db, admin, filter);
  return {
    filter: { q: filter.q ?? "", role: filter.role ?? "", status: filter.status ?? "" },
    total: result.total,
    page: result.page,
    pages: result.pages,
    students: result.students.map((student): StudentRow => ({
      id: student.id,
      name: student.name,
      email: student.email,
      role: student.role,
      deactivated: student.deactivatedAt !== null,
      enrollmentStatus: student.enrollmentStatus,
      cohortName: student.cohortName,
      lastActivity: student.lastActivity?.toISOString() ?? null,
      createdAt: student.createdAt.toISOString(),
    })),
  };
}

export default function AdminStudents() {
  const { filter, total, page, pages, students } = useLoaderData<typeof loader>();
  const pageLink = (to: number) => {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(filter)) if (value) params.set(key, value);
    if (to > 1) params.set("page", String(to));
    const query = params.toString();
    return query ? `/admin/students?${query}` : "/admin/students";
  };
  const filtered = Boolean(filter.q || filter.role || filter.status);

  return (
    <div className="mx-auto max-w-6xl px-4 py-10 sm:px-6">
      <Breadcrumbs items={[{ label: "Admin", to: "/admin" }, { label: "Students" }]} />
      <h1 className="mt-4 text-3xl font-bold tracking-tight">Students</h1>
      <p className="mt-2 text-muted">Every account, newest first. Open one to see its progress and manage it.</p>

      <Form
        method="get"
        role="search"
        aria-label="Find accounts"
        className="mt-6 grid gap-4 rounded-2xl border border-line bg-surface p-5 sm:grid-cols-[2fr_1fr_1fr_auto] sm:items-end"
      >
        <div>
          <label htmlFor="students-q" className="block text-sm font-medium">
            Name or email
          </label>
          <input
            id="students-q"
            name="q"
            type="search"
            defaultValue={filter.q}
            maxLength={200}
            className={SELECT_CLASS}
          />
        </div>
        <div>
          <label htmlFor="students-role" className="block text-sm font-medium">
            Role
          </label>
          <select id="students-role" name="role" defaultValue={filter.role} className={SELECT_CLASS}>
            <option value="">Any role</option>
            <option value="student">Student</option>
            <option value="admin">Admin</option>
          </select>
        </div>
        <div>
          <label htmlFor="students-status" className="block text-sm font-medium">
            Status
          </label>
          <select id="students-status" name="status" defaultValue={filter.status} className={SELECT_CLASS}>
            <option value="">Any status</option>
            <option value="active">Active</option>
            <option value="deactivated">Deactivated</option>
          </select>
        </div>
        <button
          type="submit"
          className="rounded-lg bg-accent px-4 py-2 font-semibold text-on-accent hover:bg-accent-strong"
        >
          Search
        </button>
      </Form>

      <p className="mt-6 text-sm text-muted" aria-live="polite">
        {total === 1 ? "1 account" : `${total.toLocaleString("en")} accounts`}
        {filtered ? " match" : ""}
        {pages > 1 ? ` · page ${page} of ${pages}` : ""}
        {filtered ? (
          <>
            {" · "}
            <Link to="/admin/students" className="text-accent-strong underline">
              Clear filters
            </Link>
          </>
        ) : null}
      </p>
      <div className="mt-3">
        {students.length > 0 ? (
          <AdminStudentTable students={students} />
        ) : (
          <EmptyState title={filtered ? "No accounts match" : "No accounts yet"}>
            {filtered
              ? "Try part of the name or email, or another role or status."
              : "Accounts appear as people register."}
          </EmptyState>
        )}
      </div>
      {pages > 1 ? (
        <nav aria-label="Pages" className="mt-6 flex justify-between text-sm">
          {page > 1 ? (
            <Link to={pageLink(page - 1)} rel="prev" className="text-accent-strong underline">
              Previous page
            </Link>
          ) : (
            <span />
          )}
          {page < pages ? (
            <Link to={pageLink(page + 1)} rel="next" className="text-accent-strong underline">
              Next page
            </Link>
          ) : null}
        </nav>
      ) : null}
    </div>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
