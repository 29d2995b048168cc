import {
  data,
  redirect,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/cloudflare";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import * as z from "zod";
import { listModulesForAdmin, moveModule } from "../../db/queries/admin-content.ts";
import { ContentStatusBadge } from "~/components/admin-content-fields";
import { ReorderButtons } from "~/components/admin-reorder";
import { Breadcrumbs } from "~/components/breadcrumbs";
import { EmptyState } from "~/components/empty-state";
import { ErrorPage } from "~/components/error-page";
import { Alert } from "~/components/form";
import { requireAdmin } from "~/lib/auth.server";
import { plural } from "~/lib/format";
import { notFound } from "~/lib/params";
import { pageMeta } from "~/lib/site";
import { DataTable } from "~/components/data-table";

export const meta: MetaFunction = () => [...pageMeta("Content · Admin"), { name: "robots", content: "noindex" }];

export async function loader({ context }: LoaderFunctionArgs) {
  const admin = await requireAdmin(context);
  return { modules: await listModulesForAdmin(context.services.db, admin) };
}

const moveForm = z.object({
  intent: z.literal("move"),
  id: z.coerce.number().int().positive(),
  direction: z.enum(["up", "down"]),
});

export async function action({ request, context }: ActionFunctionArgs) {
  const admin = await requireAdmin(context);
  const parsed = moveForm.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) throw data(null, { status: 400 });
  const result = await moveModule(context.services.db, admin, parsed.data.id, parsed.data.direction);
  if (!result.ok) notFound();
  if (!result.moved) return redirect("/admin/modules");
  return redirect(`/admin/modules?${new URLSearchParams({ moved: result.title, to: parsed.data.direction })}`);
}

export default function AdminModules() {
  const { modules } = useLoaderData<typeof loader>();
  const [search] = useSearchParams();
  const notice = noticeFrom(search);

  return (
    <div className="mx-auto max-w-5xl px-4 py-10 sm:px-6">
      <Breadcrumbs items={[{ label: "Admin", to: "/admin" }, { label: "Content" }]} />
      <div className="mt-4 flex flex-wrap items-center justify-between gap-4">
        <h1 className="text-3xl font-bold tracking-tight">Content</h1>
        <Link
          to="/admin/modules/new"
          className="rounded-lg bg-accent px-4 py-2 text-sm font-semibold text-on-accent hover:bg-accent-strong"
        >
          New module
        </Link>
      </div>
      <p className="mt-2 text-muted">
        Every module in course order, drafts included. Students see a module only once it is published, and a lecture
        only once it and its module are.
      </p>
      <div aria-live="polite" className="mt-4 empty:hidden">
        {notice ? <Alert tone="success">{notice}</Alert> : null}
      </div>
      <div className="mt-6">
        {modules.length === 0 ? (
          <EmptyState title="No modules yet">Create the first module, then add its lectures.</EmptyState>
        ) : (
          <DataTable headings={["#", "Module", "Lectures", "Status", "Order"]} caption="Modules in course order">
            {modules.map((module, index) => (
              <tr key={module.id}>
                <td className="px-4 py-3 text-muted tabular-nums">{module.position}</td>
                <th scope="row" className="px-4 py-3 font-medium">
                  <Link to={`/admin/modules/${module.id}`} className="text-accent-strong hover:underline">
                    {module.title}
                  </Link>
                  <span className="block text-xs font-normal text-muted">/modules/{module.slug}</span>
                </th>
                <td className="px-4 py-3 tabular-nums">
                  {plural(module.lectureCount, "lecture")}
                  {module.lectureCount > module.publishedLectureCount ? (
                    <span className="block text-xs text-muted">
                      {module.lectureCount - module.publishedLectureCount} draft
                    </span>
                  ) : null}
                </td>
                <td className="px-4 py-3">
                  <ContentStatusBadge published={module.published} />
                </td>
                <td className="px-4 py-3">
                  <ReorderButtons
                    intent="move"
                    id={module.id}
                    title={module.title}
                    isFirst={index === 0}
                    isLast={index === modules.length - 1}
                  />
                </td>
              </tr>
            ))}
          </DataTable>
        )}
      </div>
    </div>
  );
}

/** What the last action did, read from the redirect's query string. */
function noticeFrom(search: URLSearchParams): string | null {
  const moved = search.get("moved");
  if (moved) return `Moved “${moved}” ${search.get("to") === "down" ? "down" : "up"}.`;
  const deleted = search.get("deleted");
  if (deleted) return `Deleted “${deleted}” with its lectures.`;
  return null;
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
