import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/cloudflare";
import { Form, Link, useLoaderData } from "@remix-run/react";
import * as z from "zod";
import { getAuditLogPage } from "../../db/queries/audit.ts";
import { Breadcrumbs } from "~/components/breadcrumbs";
import { EmptyState } from "~/components/empty-state";
import { ErrorPage } from "~/components/error-page";
import { Alert } from "~/components/form";
import { requireAdmin } from "~/lib/auth.server";
import { pageMeta } from "~/lib/site";

export const meta: MetaFunction = () => [...pageMeta("Audit log · Admin"), { name: "robots", content: "noindex" }];

// The filters travel in the address (a GET form and plain links), so the page works without JS.
const filterSchema = z.object({
  action: z
    .string()
    .max(80)
    .regex(/^[a-z][a-z0-9_-]*(\.[a-z0-9_-]+)?$/)
    .optional(),
  actor: z.email().max(254).optional(),
  before: z.coerce.number().int().positive().optional(),
});

export async function loader({ request, context }: LoaderFunctionArgs) {
  const admin = await requireAdmin(context);
  const params = new URL(request.url).searchParams;
  // "All" in a select sends an empty value: the same as no filter.
  const given = Object.fromEntries([...params].filter(([, value]) => value !== ""));
  const parsed = filterSchema.safeParse(given);
  const filter = parsed.success ? parsed.data : {};
  const page = await getAuditLogPage(context.services.db, admin, {
    action: filter.action,
    actorEmail: filter.actor,
    before: filter.before,
  });
  return {
    ...page,
    entries: page.entries.map((entry) => ({ ...entry, createdAt: entry.createdAt.toISOString() })),
    filter: { action: filter.action ?? "", actor: filter.actor ?? "", before: filter.before ?? null },
    ignoredFilter: !parsed.success,
  };
}

const whenFormat = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

function pageLink(filter: { action: string; actor: string }, before?: number) {
  const params = new URLSearchParams();
  if (filter.action) params.set("action", filter.action);
  if (filter.actor) params.set("actor", filter.actor);
  if (before) params.set("before", String(before));
  const query = params.toString();
  return query ? `/admin/audit?${query}` : "/admin/audit";
}

const selectClass = "mt-1.5 block w-full rounded-lg border border-line bg-surface px-3 py-2";

export default function AuditLog() {
  const { entries, hasMore, actionGroups, actorEmails, filter, ignoredFilter } = useLoaderData<typeof loader>();
  const filtered = filter.action !== "" || filter.actor !== "";
  const oldest = entries.at(-1);
  return (
    <div className="mx-auto max-w-7xl px-4 py-10 sm:px-6">
      <Breadcrumbs items={[{ label: "Admin", to: "/admin" }, { label: "Audit log" }]} />
      <h1 className="mt-4 text-3xl font-bold tracking-tight">Audit log</h1>
      <p className="mt-2 text-muted">
        Every change made in the admin, newest first, with who made it. Entries are only ever added. Times are UTC.
      </p>
      {ignoredFilter ? (
        <div className="mt-6">
          <Alert tone="error">The filter in the address was not understood, so every entry is shown.</Alert>
        </div>
      ) : null}

      <Form method="get" className="mt-8 flex flex-wrap items-end gap-4 rounded-2xl border border-line bg-surface p-4">
        <div className="min-w-48">
          <label htmlFor="audit-action" className="block text-sm font-medium">
            Action
          </label>
          <select id="audit-action" name="action" defaultValue={filter.action} className={selectClass}>
            <option value="">All actions</option>
            {actionGroups.map((group) => (
              <option key={group} value={group}>
                {`${group}.*`}
              </option>
            ))}
          </select>
        </div>
        <div className="min-w-64">
          <label htmlFor="audit-actor" className="block text-sm font-medium">
            Who
          </label>
          <select id="audit-actor" name="actor" defaultValue={filter.actor} className={selectClass}>
            <option value="">Everyone</option>
            {actorEmails.map((email) => (
              <option key={email} value={email}>
                {email}
              </option>
            ))}
          </select>
        </div>
        <button
          type="submit"
          className="rounded-lg bg-accent px-4 py-2 font-medium text-on-accent hover:bg-accent-strong"
        >
          Filter
        </button>
        {filtered ? (
          <Link to="/admin/audit" className="py-2 font-medium text-accent-strong underline">
            Clear the filter
          </Link>
        ) : null}
      </Form>

      <div className="mt-6">
        {entries.length === 0 ? (
          filtered || filter.before ? (
            <EmptyState title="No entries here">
              Nothing matches this filter{filter.before ? " before this point" : ""}.{" "}
              <Link to="/admin/audit" className="text-accent-strong underline">
                Show the newest entries
              </Link>
            </EmptyState>
          ) : (
            <EmptyState title="Nothing recorded yet">
              Every admin change, such as publishing a lecture, reviewing a project or editing a cohort, is written here
              as it happens, with who made it.
            </EmptyState>
          )
        ) : (
          <div className="overflow-x-auto rounded-2xl border border-line bg-surface">
            <table className="w-full text-left text-sm">
              <caption className="sr-only">Admin actions, newest first</caption>
              <thead className="border-b border-line text-muted">
                <tr>
                  {["When", "Who", "Action", "Target", "Summary"].map((header) => (
                    <th key={header} scope="col" className="px-4 py-3 font-medium">
                      {header}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody className="divide-y divide-line">
                {entries.map((entry) => (
                  <tr key={entry.id}>
                    <td className="px-4 py-3 whitespace-nowrap">
                      <time dateTime={entry.createdAt}>{whenFormat.format(new Date(entry.createdAt))}</time>
                    </td>
                    <td className="px-4 py-3">{entry.actorEmail}</td>
                    <td className="px-4 py-3">
                      <code className="font-mono text-xs">{entry.action}</code>
                    </td>
                    <td className="px-4 py-3 whitespace-nowrap">
                      {entry.targetType} <span className="font-mono text-xs text-muted">{entry.targetId}</span>
                    </td>
                    <td className="px-4 py-3">{entry.summary}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </div>

      {filter.before || (hasMore && oldest) ? (
        <nav aria-label="Audit log pages" className="mt-6 flex flex-wrap justify-between gap-3">
          {filter.before ? (
            <Link to={pageLink(filter)} className="font-semibold text-accent-strong hover:underline">
              Newest entries
            </Link>
          ) : (
            <span />
          )}
          {hasMore && oldest ? (
            <Link to={pageLink(filter, oldest.id)} className="font-semibold text-accent-strong hover:underline">
              Older entries
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
