import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/cloudflare";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import * as z from "zod";
import { ANNOUNCEMENT_BODY_MAX, ANNOUNCEMENT_TITLE_MAX } from "../../db/queries/announcement-limits.ts";
import { createAnnouncement, listAnnouncements } from "../../db/queries/announcements.ts";
import { listCohortAudiences } from "../../db/queries/member-cohort.ts";
import { broadcastAnnouncement } from "../../worker/live/broadcast.ts";
import { Breadcrumbs } from "~/components/breadcrumbs";
import { ErrorPage } from "~/components/error-page";
import { Alert, Field, SubmitButton } from "~/components/form";
import { TextAreaField } from "~/components/project-fields";
import { requireAdmin } from "~/lib/auth.server";
import { formError, invalid, parseForm, type FormState } from "~/lib/forms";
import { pageMeta } from "~/lib/site";

export const meta: MetaFunction = () => [...pageMeta("Announcements · Admin"), { name: "robots", content: "noindex" }];

export async function loader({ context }: LoaderFunctionArgs) {
  const admin = await requireAdmin(context);
  const [cohorts, recent] = await Promise.all([
    listCohortAudiences(context.services.db, admin),
    listAnnouncements(context.services.db, admin, { limit: 10 }),
  ]);
  return { cohorts, recent: recent.announcements };
}

const announcementForm = z.object({
  title: z
    .string()
    .trim()
    .min(1, "Give the announcement a title.")
    .max(ANNOUNCEMENT_TITLE_MAX, `Titles can be up to ${ANNOUNCEMENT_TITLE_MAX} characters.`),
  body: z
    .string()
    .trim()
    .min(1, "Write the announcement.")
    .max(ANNOUNCEMENT_BODY_MAX, `Announcements can be up to ${ANNOUNCEMENT_BODY_MAX.toLocaleString("en")} characters.`),
  audience: z.union([z.literal("everyone"), z.string().regex(/^[1-9]\d{0,9}$/)], {
    error: "Choose who receives it.",
  }),
});

const ECHO = ["title", "body", "audience"];

export async function action({ request, context }: ActionFunctionArgs) {
  const admin = await requireAdmin(context);
  const formData = await request.formData();
  const parsed = parseForm(formData, announcementForm, ECHO);
  if (!parsed.ok) return invalid(parsed.state);

  const { title, body, audience } = parsed.data;
  const { db, log } = context.services;
  const cohortId = audience === "everyone" ? null : Number(audience);
  const announcement = await createAnnouncement(db, admin, { title, bodyMarkdown: body, cohortId });
  if (!announcement) {
    return formError(formData, "That cohort no longer exists: choose another audience.", ECHO, { status: 409 });
  }
  // Stored first: members who miss the live push catch up from D1.
  const delivery = await broadcastAnnouncement(context.cloudflare.env, db, log, announcement);
  const params = new URLSearchParams({ posted: String(announcement.id), reached: String(delivery.sockets) });
  if (delivery.failed > 0) params.set("failed", String(delivery.failed));
  return redirect(`/admin/announcements?${params}`);
}

const dateFormat = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

export default function AdminAnnouncements() {
  const { cohorts, recent } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as { state?: FormState } | undefined;
  const state = result?.state;
  const [search] = useSearchParams();
  const posted = search.get("posted");
  const reached = Number(search.get("reached") ?? 0);
  const audienceError = state?.errors.audience;

  return (
    <div className="mx-auto max-w-3xl px-4 py-10 sm:px-6">
      <Breadcrumbs items={[{ label: "Admin", to: "/admin" }, { label: "Announcements" }]} />
      <h1 className="mt-4 text-3xl font-bold tracking-tight">Announcements</h1>
      <p className="mt-2 text-muted">
        Post news to everyone or to one cohort. Members who are online see it at once; everyone else finds it on their
        next visit.
      </p>

      <div className="mt-6 space-y-3">
        {posted && !state ? (
          <Alert tone="success">
            Posted. Delivered live to {reached} {reached === 1 ? "open page" : "open pages"}.
            {search.get("failed")
              ? " Some cohorts could not be reached live right now; their members will see it on their next page load."
              : null}
          </Alert>
        ) : null}
        {state?.formError ? <Alert tone="error">{state.formError}</Alert> : null}
      </div>

      {/* Keyed on the last post, so a successful post starts a blank form. */}
      <Form
        key={posted ?? "new"}
        method="post"
        className="mt-6 space-y-5 rounded-2xl border border-line bg-surface p-5 sm:p-6"
      >
        <Field label="Title" name="title" state={state} />
        <TextAreaField
          label="Message"
          name="body"
          rows={8}
          maxLength={ANNOUNCEMENT_BODY_MAX}
          hint="Markdown: **bold**, lists, links and code blocks."
          state={state}
        />
        <div>
          <label htmlFor="field-audience" className="block text-sm font-medium">
            Audience
          </label>
          <select
            id="field-audience"
            name="audience"
            defaultValue={state?.fields.audience ?? "everyone"}
            aria-invalid={audienceError ? true : undefined}
            aria-describedby={audienceError ? "field-audience-error" : undefined}
            className="mt-1.5 block w-full rounded-lg border border-line bg-surface px-3 py-2 aria-invalid:border-red-600 dark:aria-invalid:border-red-400"
          >
            <option value="everyone">Everyone</option>
            {cohorts.map((cohort) => (
              <option key={cohort.id} value={String(cohort.id)}>
                {cohort.name}
              </option>
            ))}
          </select>
          {audienceError ? (
            <p id="field-audience-error" className="mt-1 text-sm text-red-700 dark:text-red-400">
              {audienceError}
            </p>
          ) : null}
        </div>
        <div className="sm:w-64">
          <SubmitButton pending="Posting…">Post announcement</SubmitButton>
        </div>
      </Form>

      <section aria-labelledby="recent-heading" className="mt-10">
        <h2 id="recent-heading" className="text-xl font-semibold">
          Latest announcements
        </h2>
        {recent.length === 0 ? (
          <p className="mt-2 text-muted">Nothing posted yet.</p>
        ) : (
          <ul className="mt-4 divide-y divide-line rounded-2xl border border-line bg-surface">
            {recent.map((announcement) => (
              <li
                key={announcement.id}
                className="flex flex-wrap items-baseline justify-between gap-2 px-4 py-3 text-sm"
              >
                <span className="font-medium">{announcement.title}</span>
                <span className="text-muted">
                  {announcement.cohortName ?? "Everyone"} · {dateFormat.format(new Date(announcement.createdAt * 1000))}{" "}
                  UTC
                </span>
              </li>
            ))}
          </ul>
        )}
        <p className="mt-3 text-sm">
          <Link to="/announcements" className="text-accent-strong underline">
            See them as members do
          </Link>
        </p>
      </section>
    </div>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
