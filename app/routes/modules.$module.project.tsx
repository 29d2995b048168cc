import {
  data,
  redirect,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/cloudflare";
import { Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import * as z from "zod";
import { opensOnText } from "../../db/queries/access.ts";
import {
  createSubmission,
  getModuleProject,
  REPO_URL_MAX_LENGTH,
  SUBMISSION_NOTES_MAX_LENGTH,
  type ModuleProject,
  type SubmissionRefusal,
} from "../../db/queries/projects.ts";
import {
  ACCEPTED_FILES,
  putThenRecord,
  submissionFileKey,
  SUBMISSION_FILE_MAX_BYTES,
  validateSubmissionFile,
} from "../../worker/uploads/submission-file.ts";
import { Breadcrumbs } from "~/components/breadcrumbs";
import { ErrorPage } from "~/components/error-page";
import { Alert } from "~/components/form";
import { LockIcon } from "~/components/icons";
import { ProjectStatusBadge } from "~/components/project-status-badge";
import { ProjectSubmissionCard } from "~/components/project-submission-card";
import { ProjectSubmissionForm } from "~/components/project-submission-form";
import { getOptionalUser, requireUser } from "~/lib/auth.server";
import { formatInZone } from "~/lib/cohort-format";
import type { FormState } from "~/lib/forms";
import { notFound, slugParam } from "~/lib/params";
import { pageMeta } from "~/lib/site";

export async function loader({ params, context }: LoaderFunctionArgs) {
  const viewer = await getOptionalUser(context);
  const page = await getModuleProject(context.services.db, slugParam(params.module), viewer);
  if (!page) notFound();
  return {
    ...page,
    signedIn: viewer !== null,
    notesMaxLength: SUBMISSION_NOTES_MAX_LENGTH,
    acceptedFiles: ACCEPTED_FILES,
  };
}

function repoUrlProblem(value: string): string | null {
  if (!URL.canParse(value)) return "Enter the full address of your repository, like https://github.com/you/project.";
  const url = new URL(value);
  if (url.protocol !== "https:") return "Use an https:// address, like https://github.com/you/project.";
  if (url.username || url.password)
    return "Remove the user name or token from the address: the repository must be public.";
  if (!url.hostname.includes("."))
    return "Enter the address of a public repository host, like https://github.com/you/project.";
  return null;
}

const submissionForm = z.object({
  repoUrl: z
    .string()
    .trim()
    .min(1, "Enter the https:// address of your repository.")
    .max(REPO_URL_MAX_LENGTH, `Repository addresses can be up to ${REPO_URL_MAX_LENGTH} characters.`)
    .superRefine((value, context) => {
      const problem = repoUrlProblem(value);
      if (problem) context.addIssue({ code: "custom", message: problem });
    }),
  notes: z
    .string()
    .trim()
    .min(1, "Write a few lines of notes: what you built and how to run it.")
    .max(
      SUBMISSION_NOTES_MAX_LENGTH,
      `Notes can be up to ${SUBMISSION_NOTES_MAX_LENGTH.toLocaleString("en")} characters; move the detail into your repository's README.`,
    ),
});

const ECHO = ["repoUrl", "notes"];
// The file plus the text fields and multipart overhead; anything bigger is refused unread.
const MAX_REQUEST_BYTES = SUBMISSION_FILE_MAX_BYTES + 1024 * 1024;

const REFUSALS: Record<SubmissionRefusal, { status: number; message: string }> = {
  not_found: { status: 404, message: "This project is no longer open for submissions." },
  no_access: { status: 403, message: "Projects are open to enrolled students. Enrol to submit your work for review." },
  not_released: {
    status: 403,
    message: "This project opens with its module on your cohort's schedule; submissions open then.",
  },
  awaiting_review: {
    status: 409,
    message: "Your latest submission is awaiting review. You can submit again if the reviewer asks for changes.",
  },
  approved: { status: 409, message: "Your project is already approved: there is nothing more to submit." },
};

type ActionData = { state: FormState; chosenFile?: string };

function refuse(status: number, state: FormState, chosenFile?: string) {
  return data<ActionData>({ state, chosenFile }, { status });
}

/** Which refusal applies before anything is read or stored, from what the page already knows. */
function refusalFor(page: ModuleProject): SubmissionRefusal | null {
  if (!page.fullAccess) return "no_access";
  if (page.opening) return "not_released";
  if (page.latestStatus === "submitted") return "awaiting_review";
  if (page.latestStatus === "approved") return "approved";
  return null;
}

/**
 * Order of work: check access and state, validate every field and the file's bytes,
 * store the file in R2, then write the D1 row (deleting the file again if that fails).
 */
export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const { db, env } = context.services;
  const moduleSlug = slugParam(params.module);
  const page = await getModuleProject(db, moduleSlug, user);
  if (!page) notFound();

  const early = refusalFor(page);
  if (early === "not_released" && page.opening) {
    const message = `This project's module ${opensOnText(page.opening)} for your cohort; submissions open then.`;
    return refuse(403, { fields: {}, errors: {}, formError: message });
  }
  if (early) return refuse(REFUSALS[early].status, { fields: {}, errors: {}, formError: REFUSALS[early].message });
  if (Number(request.headers.get("content-length") ?? 0) > MAX_REQUEST_BYTES) {
    const message = `That upload is larger than 10 MB. Attach a smaller file, or link it from your repository.`;
    return refuse(413, { fields: {}, errors: {}, formError: message });
  }

  let formData: FormData;
  try {
    formData = await request.formData();
  } catch {
    return refuse(400, { fields: {}, errors: {}, formError: "That submission could not be read. Please try again." });
  }
  const parsed = submissionForm.safeParse({
    repoUrl: formData.get("repoUrl") ?? "",
    notes: formData.get("notes") ?? "",
  });
  const fileCheck = await validateSubmissionFile(formData.get("file"));
  const chosen = formData.get("file");
  const chosenFile = typeof chosen === "object" && chosen && chosen.name ? chosen.name : undefined;

  if (!parsed.success || !fileCheck.ok) {
    const errors: Record<string, string> = {};
    for (const issue of parsed.error?.issues ?? []) errors[String(issue.path[0])] ??= issue.message;
    if (!fileCheck.ok) errors.file = fileCheck.message;
    const fields = Object.fromEntries(
      ECHO.map((key) => [key, formData.get(key)]).filter(
        (entry): entry is [string, string] => typeof entry[1] === "string",
      ),
    );
    return refuse(400, { fields, errors }, fileCheck.ok ? chosenFile : undefined);
  }

  const submissionId = crypto.randomUUID();
  const upload = fileCheck.file ? { key: submissionFileKey(user.id, submissionId), file: fileCheck.file } : null;
  const result = await putThenRecord(
    env.LECTURE_ASSETS,
    upload,
    () =>
      createSubmission(db, user, {
        id: submissionId,
        projectId: page.project.id,
        repoUrl: parsed.data.repoUrl,
        notesMarkdown: parsed.data.notes,
        file: upload && { key: upload.key, name: upload.file.name, type: upload.file.type, size: upload.file.size },
      }),
    (outcome) => outcome.ok,
  );
  if (!result.ok) {
    const refusal = REFUSALS[result.reason];
    return refuse(refusal.status, { fields: {}, errors: {}, formError: refusal.message });
  }
  return redirect(`/modules/${moduleSlug}/project?submitted=1#your-submissions`);
}

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  data ? pageMeta(`Project: ${data.project.title}`, data.project.summary) : pageMeta("Project not found");

export default function ProjectPage() {
  const page = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as ActionData | undefined;
  const [params] = useSearchParams();
  const { project, submissions, latestStatus } = page;
  const moduleUrl = `/modules/${project.moduleSlug}`;

  return (
    <div className="mx-auto max-w-3xl px-4 py-8 sm:px-6">
      <Breadcrumbs
        items={[
          { label: "Curriculum", to: "/modules" },
          { label: project.moduleTitle, to: moduleUrl },
          { label: "Project" },
        ]}
      />
      <header className="mt-6">
        <p className="font-mono text-sm font-semibold text-accent-strong">Hands-on project</p>
        <h1 className="mt-2 text-3xl font-bold tracking-tight text-balance sm:text-4xl">{project.title}</h1>
        <p className="mt-3 text-lg text-muted">{project.summary}</p>
        <p className="mt-4 flex flex-wrap items-center gap-2 text-sm">
          <span className="rounded-full bg-accent-soft px-2.5 py-0.5 text-xs font-medium text-accent-strong">
            {project.required ? "Required for the certificate" : "Optional lab"}
          </span>
          {latestStatus ? (
            <>
              <ProjectStatusBadge status={latestStatus} />
              <a href="#your-submissions" className="text-muted underline hover:text-ink">
                Your submissions
              </a>
            </>
          ) : project.briefHtml !== null ? (
            <a href="#submit-heading" className="text-muted underline hover:text-ink">
              Hand in your work
            </a>
          ) : null}
        </p>
      </header>

      {params.has("submitted") && !result ? (
        <div className="mt-6">
          <Alert tone="success">Submitted. A reviewer will look at it soon; their feedback appears on this page.</Alert>
        </div>
      ) : null}

      {project.briefHtml === null ? (
        <LockedProject
          signedIn={page.signedIn}
          opening={page.opening}
          moduleUrl={moduleUrl}
          error={result?.state.formError}
        />
      ) : (
        <>
          <div className="prose mt-8" dangerouslySetInnerHTML={{ __html: project.briefHtml }} />
          <section
            aria-labelledby="submit-heading"
            className="mt-12 rounded-2xl border border-line bg-surface p-5 sm:p-6"
          >
            <SubmitArea page={page} result={result} />
          </section>
        </>
      )}

      {submissions.length > 0 ? (
        <section aria-labelledby="your-submissions" className="mt-12">
          <h2 id="your-submissions" className="text-xl font-semibold">
            Your submissions
          </h2>
          <ol className="mt-4 space-y-4">
            {submissions.map((submission, index) => (
              <li key={submission.id}>
                <ProjectSubmissionCard
                  submission={submission}
                  title={`Submission ${submissions.length - index}${index === 0 ? " (latest)" : ""}`}
                />
              </li>
            ))}
          </ol>
        </section>
      ) : null}
    </div>
  );
}

function SubmitArea({ page, result }: { page: ReturnType<typeof useLoaderData<typeof loader>>; result?: ActionData }) {
  const status = page.latestStatus;
  if (status === "submitted" || status === "approved") {
    return (
      <>
        <h2 id="submit-heading" className="text-xl font-semibold">
          {status === "approved" ? "Project approved" : "Awaiting review"}
        </h2>
        <p className="mt-2 text-muted" role="status">
          {status === "approved"
            ? "Well done: a reviewer approved your project. Nothing more to submit here."
            : "A reviewer will look at your latest submission soon. If they ask for changes, you can submit again here."}
        </p>
        {result?.state.formError ? (
          <div className="mt-4">
            <Alert tone="error">{result.state.formError}</Alert>
          </div>
        ) : null}
      </>
    );
  }
  const resubmission = status === "changes_requested";
  return (
    <>
      <h2 id="submit-heading" className="text-xl font-semibold">
        {resubmission ? "Submit your revised project" : "Submit your project"}
      </h2>
      <p className="mt-2 mb-5 text-sm text-muted">
        {resubmission
          ? "Address the reviewer's feedback below, then submit again: your earlier submissions stay on record."
          : "A reviewer checks it against the acceptance criteria and approves it or asks for changes."}
      </p>
      <ProjectSubmissionForm
        resubmission={resubmission}
        state={result?.state}
        chosenFile={result?.chosenFile}
        previousRepoUrl={page.submissions[0]?.repoUrl}
        notesMaxLength={page.notesMaxLength}
        acceptedFiles={page.acceptedFiles}
      />
    </>
  );
}

function LockedProject({
  signedIn,
  opening,
  moduleUrl,
  error,
}: {
  signedIn: boolean;
  /** Set when the student is enrolled and the module opens later for their cohort. */
  opening: { opensAt: string; timezone: string } | null;
  moduleUrl: string;
  error?: string;
}) {
  const here = `${moduleUrl}/project`;
  return (
    <section aria-labelledby="locked-heading" className="mt-8 rounded-2xl border border-line bg-surface p-6">
      {error ? (
        <div className="mb-4" aria-live="polite">
          <Alert tone="error">{error}</Alert>
        </div>
      ) : null}
      <h2 id="locked-heading" className="flex items-center gap-2 text-lg font-semibold">
        <LockIcon className="size-5 text-accent-strong" />{" "}
        {opening ? "The brief opens with its module" : "The full brief is for enrolled students"}
      </h2>
      <p className="mt-2 text-muted">
        {opening ? (
          <>
            Opens on <time dateTime={opening.opensAt}>{formatInZone(opening.opensAt, opening.timezone)}</time>, on your
            cohort's schedule: the requirements, the acceptance criteria and submitting your work for review.
          </>
        ) : signedIn ? (
          "Your account is not enrolled yet. Enrolment opens every lecture, this brief and a reviewer's feedback on your work; the free preview lectures are open to you now."
        ) : (
          "Enrolled students get the full brief with its requirements and acceptance criteria, submit their work here and get a reviewer's feedback."
        )}
      </p>
      <div className="mt-6 flex flex-wrap gap-3">
        {signedIn ? null : (
          <>
            <Link
              to={`/login?${new URLSearchParams({ redirectTo: here })}`}
              className="rounded-lg bg-accent px-4 py-2 font-semibold text-on-accent hover:bg-accent-strong"
            >
              Log in to continue
            </Link>
            <Link to="/register" className="rounded-lg border border-line px-4 py-2 font-medium hover:bg-surface-2">
              Create an account
            </Link>
          </>
        )}
        <Link to={moduleUrl} className="rounded-lg border border-line px-4 py-2 font-medium hover:bg-surface-2">
          Back to the module
        </Link>
      </div>
    </section>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
