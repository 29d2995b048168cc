import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/cloudflare";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import * as z from "zod";
import { FEEDBACK_MAX_LENGTH, getSubmissionForReview, reviewSubmission } from "../../db/queries/projects.ts";
import type { SubmissionStatus } from "../../db/schema.ts";
import { Breadcrumbs } from "~/components/breadcrumbs";
import { ErrorPage } from "~/components/error-page";
import { Alert } from "~/components/form";
import { TextAreaField } from "~/components/project-fields";
import { ProjectStatusBadge } from "~/components/project-status-badge";
import { formatWhen, ProjectFileLink, ProjectSubmissionCard } from "~/components/project-submission-card";
import { requireAdmin } from "~/lib/auth.server";
import { formError, invalid, parseForm } from "~/lib/forms";
import type { FormState } from "~/lib/forms";
import { notFound } from "~/lib/params";
import { pageMeta } from "~/lib/site";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  ...pageMeta(data ? `Review: ${data.submission.projectTitle}` : "Submission not found"),
  { name: "robots", content: "noindex" },
];

const SUBMISSION_ID = /^[0-9a-f-]{36}$/;

function submissionParam(value: string | undefined): string {
  if (!value || !SUBMISSION_ID.test(value)) notFound();
  return value;
}

export async function loader({ params, context }: LoaderFunctionArgs) {
  const admin = await requireAdmin(context);
  const review = await getSubmissionForReview(context.services.db, admin, submissionParam(params.submission));
  if (!review) notFound();
  return { ...review, feedbackMaxLength: FEEDBACK_MAX_LENGTH };
}

const reviewForm = z
  .object({
    decision: z.enum(["approve", "request_changes"], { error: "Choose Approve or Request changes." }),
    feedback: z
      .string()
      .max(FEEDBACK_MAX_LENGTH, `Feedback can be up to ${FEEDBACK_MAX_LENGTH.toLocaleString("en")} characters.`)
      .default(""),
  })
  .superRefine((form, context) => {
    if (form.decision === "request_changes" && form.feedback.trim() === "") {
      context.addIssue({
        code: "custom",
        path: ["feedback"],
        message: "Write what needs to change: the student sees this feedback with your decision.",
      });
    }
  });

const STATUS_WORDS: Record<SubmissionStatus, string> = {
  submitted: "awaiting review",
  changes_requested: "sent back with changes requested",
  approved: "approved",
};

export async function action({ request, params, context }: ActionFunctionArgs) {
  const admin = await requireAdmin(context);
  const id = submissionParam(params.submission);
  const formData = await request.formData();
  const parsed = parseForm(formData, reviewForm, ["feedback"]);
  if (!parsed.ok) return invalid(parsed.state);

  const result = await reviewSubmission(context.services.db, admin, id, parsed.data.decision, parsed.data.feedback);
  if (!result.ok && result.reason === "not_found") notFound();
  if (!result.ok) {
    const message = `Another review got there first: this submission was already ${STATUS_WORDS[result.status]}. Your decision and feedback were not saved.`;
    return formError(formData, message, ["feedback"], { status: 409 });
  }
  return redirect(`/admin/projects?reviewed=${result.status}`);
}

export default function ReviewSubmission() {
  const { submission, earlier, feedbackMaxLength } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as { state?: FormState } | undefined;
  const state = result?.state;
  const navigation = useNavigation();
  const deciding = navigation.state === "submitting" ? navigation.formData?.get("decision") : null;

  return (
    <div className="mx-auto max-w-3xl px-4 py-10 sm:px-6">
      <Breadcrumbs
        items={[
          { label: "Admin", to: "/admin" },
          { label: "Project reviews", to: "/admin/projects" },
          { label: submission.studentName },
        ]}
      />
      <header className="mt-4">
        <p className="text-sm text-muted">
          {submission.moduleTitle} · {submission.required ? "required project" : "optional lab"}
        </p>
        <h1 className="mt-1 text-3xl font-bold tracking-tight text-balance">{submission.projectTitle}</h1>
        <p className="mt-3 flex flex-wrap items-center gap-x-3 gap-y-1 text-sm">
          <span className="font-medium">{submission.studentName}</span>
          <a href={`mailto:${submission.studentEmail}`} className="text-muted underline hover:text-ink">
            {submission.studentEmail}
          </a>
          <ProjectStatusBadge status={submission.status} />
        </p>
        <p className="mt-1 text-sm text-muted">
          Submitted {formatWhen(submission.createdAt)}
          {earlier.length > 0 ? ` · attempt ${earlier.length + 1}` : ""} ·{" "}
          <Link to={`/modules/${submission.moduleSlug}/project`} className="underline hover:text-ink">
            read the brief
          </Link>
        </p>
      </header>

      <section aria-labelledby="work-heading" className="mt-8 rounded-2xl border border-line bg-surface p-5 sm:p-6">
        <h2 id="work-heading" className="text-lg font-semibold">
          What was handed in
        </h2>
        <dl className="mt-4 space-y-4 text-sm">
          <div>
            <dt className="font-medium">Repository</dt>
            <dd className="mt-0.5 break-all">
              <a
                href={submission.repoUrl}
                rel="noopener noreferrer nofollow ugc"
                className="text-accent-strong underline"
              >
                {submission.repoUrl}
              </a>
            </dd>
          </div>
          <div>
            <dt className="font-medium">Attached file</dt>
            <dd className="mt-1">
              {submission.hasFile ? (
                <ProjectFileLink submissionId={submission.id} name={submission.fileName} size={submission.fileSize} />
              ) : (
                <span className="text-muted">None</span>
              )}
            </dd>
          </div>
        </dl>
        <h3 className="mt-6 text-sm font-medium">Notes</h3>
        <div
          className="prose mt-2 max-w-none rounded-lg border border-line bg-canvas p-4 text-sm"
          dangerouslySetInnerHTML={{ __html: submission.notesHtml }}
        />
      </section>

      <section aria-labelledby="decision-heading" className="mt-8 rounded-2xl border border-line bg-surface p-5 sm:p-6">
        <h2 id="decision-heading" className="text-lg font-semibold">
          Decision
        </h2>
        {submission.status === "submitted" ? (
          <Form method="post" noValidate className="mt-4 space-y-4">
            {state?.formError ? <Alert tone="error">{state.formError}</Alert> : null}
            <TextAreaField
              label="Feedback for the student"
              name="feedback"
              rows={10}
              maxLength={feedbackMaxLength}
              hint="Markdown. Required when you request changes: say what to change and why, against the acceptance criteria."
              state={state}
            />
            <div className="flex flex-col gap-3 sm:flex-row">
              <button
                type="submit"
                name="decision"
                value="approve"
                disabled={Boolean(deciding)}
                className="rounded-lg bg-accent px-5 py-2.5 font-semibold text-on-accent hover:bg-accent-strong disabled:opacity-60"
              >
                {deciding === "approve" ? "Approving…" : "Approve"}
              </button>
              <button
                type="submit"
                name="decision"
                value="request_changes"
                disabled={Boolean(deciding)}
                className="rounded-lg border border-line px-5 py-2.5 font-semibold hover:bg-surface-2 disabled:opacity-60"
              >
                {deciding === "request_changes" ? "Sending…" : "Request changes"}
              </button>
            </div>
            {state?.errors.decision ? (
              <p className="text-sm text-red-700 dark:text-red-400">{state.errors.decision}</p>
            ) : null}
          </Form>
        ) : (
          <div className="mt-3">
            {state?.formError ? (
              <div className="mb-4 space-y-3">
                <Alert tone="error">{state.formError}</Alert>
                {state.fields.feedback ? (
                  <div>
                    <p className="text-sm font-medium">The feedback you wrote</p>
                    <pre className="mt-1 rounded-lg border border-line bg-canvas p-3 font-mono text-sm whitespace-pre-wrap">
                      {state.fields.feedback}
                    </pre>
                  </div>
                ) : null}
              </div>
            ) : null}
            <p className="text-sm text-muted">
              {submission.status === "approved" ? "Approved" : "Changes requested"}
              {submission.reviewerName ? ` by ${submission.reviewerName}` : ""}
              {submission.reviewedAt ? ` on ${formatWhen(submission.reviewedAt)}` : ""}.
            </p>
            {submission.feedbackHtml ? (
              <div
                className="prose mt-3 max-w-none text-sm"
                dangerouslySetInnerHTML={{ __html: submission.feedbackHtml }}
              />
            ) : null}
          </div>
        )}
      </section>

      <section aria-labelledby="earlier-heading" className="mt-10">
        <h2 id="earlier-heading" className="text-lg font-semibold">
          Earlier submissions
        </h2>
        {earlier.length > 0 ? (
          <ol className="mt-4 space-y-4">
            {earlier.map((previous, index) => (
              <li key={previous.id}>
                <ProjectSubmissionCard
                  submission={previous}
                  title={
                    <Link to={`/admin/projects/${previous.id}`} className="hover:underline">
                      Attempt {earlier.length - index}
                    </Link>
                  }
                />
              </li>
            ))}
          </ol>
        ) : (
          <p className="mt-2 text-sm text-muted">This is the student's first submission of this project.</p>
        )}
      </section>
    </div>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
