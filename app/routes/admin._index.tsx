import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/cloudflare";
import { Link, useLoaderData } from "@remix-run/react";
import { getAdminOverview } from "../../db/queries/admin.ts";
import {
  ActiveStudents,
  CompletionFunnel,
  EnrolmentsChart,
  QuizPassRates,
  Revenue,
} from "~/components/admin-analytics";
import { ErrorPage } from "~/components/error-page";
import { requireAdmin } from "~/lib/auth.server";
import { pageMeta } from "~/lib/site";

export const meta: MetaFunction = () => [...pageMeta("Admin"), { name: "robots", content: "noindex" }];

export async function loader({ context }: LoaderFunctionArgs) {
  const admin = await requireAdmin(context);
  return getAdminOverview(context.services.db, admin);
}

const dateFormat = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeZone: "UTC" });

export default function AdminOverview() {
  const overview = useLoaderData<typeof loader>();
  const stats = [
    { label: "Students", value: overview.students },
    { label: "Admins", value: overview.admins },
    { label: "Published modules", value: overview.modules },
    { label: "Published lectures", value: overview.lectures },
  ];
  return (
    <div className="mx-auto max-w-7xl px-4 py-10 sm:px-6">
      <h1 className="text-3xl font-bold tracking-tight">Admin</h1>
      <p className="mt-2 text-muted">The school at a glance: who is studying, how far they get, and what needs you.</p>
      <dl className="mt-8 grid grid-cols-2 gap-4 lg:grid-cols-4">
        {stats.map((stat) => (
          <div key={stat.label} className="rounded-2xl border border-line bg-surface p-5">
            <dt className="text-sm text-muted">{stat.label}</dt>
            <dd className="mt-1 text-3xl font-bold">{stat.value}</dd>
          </div>
        ))}
      </dl>
      <div className="mt-6 flex flex-wrap items-center justify-between gap-3 rounded-2xl border border-line bg-surface p-5">
        <p>
          <span className="text-2xl font-bold">{overview.awaitingReview}</span>{" "}
          <span className="text-muted">
            {overview.awaitingReview === 1 ? "project submission awaits" : "project submissions await"} review
          </span>
        </p>
        <Link to="/admin/projects" className="font-semibold text-accent-strong hover:underline">
          Open project reviews
        </Link>
      </div>
      <div className="mt-4 flex flex-wrap items-center justify-between gap-3 rounded-2xl border border-line bg-surface p-5">
        <p className="text-muted">Schedules, rosters and seats of every cohort.</p>
        <Link to="/admin/cohorts" className="font-semibold text-accent-strong hover:underline">
          Cohorts
        </Link>
      </div>
      <Revenue revenue={overview.revenue} />
      <ActiveStudents {...overview.activeStudents} />
      <EnrolmentsChart weeks={overview.enrolmentsByWeek} />
      <CompletionFunnel modules={overview.funnel} />
      <QuizPassRates modules={overview.passRates} />
      <section aria-labelledby="certificates-heading" className="mt-10">
        <h2 id="certificates-heading" className="text-xl font-semibold">
          Latest certificates
        </h2>
        {overview.certificates.length === 0 ? (
          <p className="mt-2 text-muted">
            None yet: a certificate is issued when a student completes every lecture, passes every quiz and has every
            required project approved.
          </p>
        ) : (
          <ul className="mt-4 divide-y divide-line rounded-2xl border border-line bg-surface">
            {overview.certificates.map((certificate) => (
              <li key={certificate.id} className="flex flex-wrap items-center justify-between gap-2 px-4 py-3 text-sm">
                <Link to={`/certificates/${certificate.id}`} className="font-medium text-accent-strong underline">
                  {certificate.recipientName}
                </Link>
                <span className="text-muted">
                  {certificate.revokedAt
                    ? `Revoked ${dateFormat.format(new Date(certificate.revokedAt))}`
                    : `Issued ${dateFormat.format(new Date(certificate.issuedAt))}`}
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="recent-heading" className="mt-10">
        <h2 id="recent-heading" className="text-xl font-semibold">
          Newest accounts
        </h2>
        <div className="mt-4 overflow-x-auto rounded-2xl border border-line bg-surface">
          <table className="w-full text-left text-sm">
            <thead className="border-b border-line text-muted">
              <tr>
                <th scope="col" className="px-4 py-3 font-medium">
                  Name
                </th>
                <th scope="col" className="px-4 py-3 font-medium">
                  Email
                </th>
                <th scope="col" className="px-4 py-3 font-medium">
                  Role
                </th>
                <th scope="col" className="px-4 py-3 font-medium">
                  Email confirmed
                </th>
                <th scope="col" className="px-4 py-3 font-medium">
                  Joined
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-line">
              {overview.recent.map((user) => (
                <tr key={user.email}>
                  <td className="px-4 py-3 font-medium">{user.name}</td>
                  <td className="px-4 py-3">{user.email}</td>
                  <td className="px-4 py-3 capitalize">{user.role}</td>
                  <td className="px-4 py-3">{user.emailVerified ? "Yes" : "Not yet"}</td>
                  <td className="px-4 py-3 whitespace-nowrap">{dateFormat.format(new Date(user.createdAt))}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      <p className="mt-8 text-sm text-muted">
        Students see the same curriculum you publish;{" "}
        <Link className="underline" to="/modules">
          browse it
        </Link>
        .
      </p>
    </div>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
