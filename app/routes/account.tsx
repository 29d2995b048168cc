import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/cloudflare";
import { Form, useActionData, useLoaderData, useLocation, useSearchParams } from "@remix-run/react";
import type { ReactNode } from "react";
import { listOwnSessions } from "../../db/queries/account.ts";
import { PASSWORD_MIN } from "../../worker/auth/policy.ts";
import { ErrorPage } from "~/components/error-page";
import { Alert, Field } from "~/components/form";
import { handleAccountAction, type AccountIntent } from "~/lib/account-actions.server";
import { requireSession } from "~/lib/auth.server";
import type { FormState } from "~/lib/forms";
import { pageMeta } from "~/lib/site";
import { describeUserAgent } from "~/lib/user-agent";

export const meta: MetaFunction = () => [...pageMeta("Account settings"), { name: "robots", content: "noindex" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const session = await requireSession(request, context);
  const sessions = await listOwnSessions(context.services.db, session.user);
  return {
    user: session.user,
    sessions: sessions.map((row) => ({ ...row, current: row.id === session.id })),
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const session = await requireSession(request, context);
  return handleAccountAction(request, context, session, await request.formData());
}

type ActionData = { intent?: AccountIntent; state?: FormState; message?: string };

const dateFormat = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

export default function Account() {
  const { user, sessions } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as ActionData | undefined;
  const [params] = useSearchParams();
  // Forms start empty again after every success (a redirect or a confirmation message),
  // so typed passwords never linger; after a failure they keep what was typed.
  const formKey = `${useLocation().key}:${result?.message ?? ""}`;
  const forIntent = (intent: AccountIntent) => (result?.intent === intent ? result : undefined);
  const others = sessions.filter((session) => !session.current);

  return (
    <div className="mx-auto max-w-3xl px-4 py-10 sm:px-6">
      <h1 className="text-3xl font-bold tracking-tight">Account settings</h1>
      <p className="mt-2 text-muted">
        Signed in as <strong className="text-ink">{user.email}</strong>
        {user.role === "admin" ? " (admin)" : null}.
      </p>
      {params.get("changed") === "password" && !result ? (
        <div className="mt-6">
          <Alert tone="success">Your password was changed. Every other session was signed out.</Alert>
        </div>
      ) : null}

      <Section id="profile" title="Profile" result={forIntent("profile")}>
        <Form key={formKey} method="post" noValidate className="space-y-4">
          <input type="hidden" name="intent" value="profile" />
          <Field
            label="Name"
            name="name"
            id="profile-name"
            autoComplete="name"
            state={forIntent("profile")?.state}
            defaultValue={forIntent("profile")?.state?.fields.name ?? user.name}
          />
          <Submit>Save name</Submit>
        </Form>
      </Section>

      <Section id="email" title="Email address" result={forIntent("email")}>
        <p className="mb-4 text-sm text-muted">
          We send a confirmation link to the new address; the change happens when you open it.
        </p>
        <Form key={formKey} method="post" noValidate className="space-y-4">
          <input type="hidden" name="intent" value="email" />
          <Field
            label="New email"
            name="email"
            id="email-email"
            type="email"
            autoComplete="email"
            state={forIntent("email")?.state}
          />
          <Field
            label="Current password"
            name="password"
            id="email-password"
            type="password"
            autoComplete="current-password"
            state={forIntent("email")?.state}
          />
          <Submit>Change email</Submit>
        </Form>
      </Section>

      <Section id="password" title="Password" result={forIntent("password")}>
        <p className="mb-4 text-sm text-muted">Changing your password signs you out on every other device.</p>
        <Form key={formKey} method="post" noValidate className="space-y-4">
          <input type="hidden" name="intent" value="password" />
          <Field
            label="Current password"
            name="currentPassword"
            id="password-current"
            type="password"
            autoComplete="current-password"
            state={forIntent("password")?.state}
          />
          <Field
            label="New password"
            name="password"
            id="password-new"
            type="password"
            autoComplete="new-password"
            hint={`At least ${PASSWORD_MIN} characters.`}
            state={forIntent("password")?.state}
          />
          <Field
            label="Confirm new password"
            name="confirm"
            id="password-confirm"
            type="password"
            autoComplete="new-password"
            state={forIntent("password")?.state}
          />
          <Submit>Change password</Submit>
        </Form>
      </Section>

      <Section id="sessions" title="Where you're signed in" result={forIntent("revoke") ?? forIntent("revoke-others")}>
        <ul className="divide-y divide-line rounded-xl border border-line">
          {sessions.map((session) => (
            <li key={session.id} className="flex flex-wrap items-center justify-between gap-3 px-4 py-3">
              <div>
                <p className="font-medium">
                  {describeUserAgent(session.userAgent)}
                  {session.current ? (
                    <span className="ml-2 rounded-full bg-accent-soft px-2 py-0.5 text-xs text-accent-strong">
                      This device
                    </span>
                  ) : null}
                </p>
                <p className="text-xs text-muted">
                  {session.ipAddress ?? "Unknown address"} · signed in {dateFormat.format(new Date(session.createdAt))}{" "}
                  UTC · last active {dateFormat.format(new Date(session.lastActiveAt))} UTC
                </p>
              </div>
              {session.current ? null : (
                <Form method="post">
                  <input type="hidden" name="intent" value="revoke" />
                  <input type="hidden" name="sessionId" value={session.id} />
                  <button
                    type="submit"
                    className="rounded-lg border border-line px-3 py-1.5 text-sm hover:bg-surface-2"
                  >
                    Sign out
                  </button>
                </Form>
              )}
            </li>
          ))}
        </ul>
        {others.length > 0 ? (
          <Form method="post" className="mt-4">
            <input type="hidden" name="intent" value="revoke-others" />
            <button
              type="submit"
              className="rounded-lg border border-line px-4 py-2 text-sm font-medium hover:bg-surface-2"
            >
              Sign out all other sessions
            </button>
          </Form>
        ) : (
          <p className="mt-3 text-sm text-muted">This is your only session.</p>
        )}
      </Section>

      <Section id="delete" title="Delete account" result={forIntent("delete")} danger>
        <p className="mb-4 text-sm text-muted">
          Deletes your account and personal data: your name, email, password and sessions. This cannot be undone.
        </p>
        <Form key={formKey} method="post" noValidate className="space-y-4">
          <input type="hidden" name="intent" value="delete" />
          <Field
            label="Current password"
            name="password"
            id="delete-password"
            type="password"
            autoComplete="current-password"
            state={forIntent("delete")?.state}
          />
          <Field
            label="Type DELETE to confirm"
            name="confirmation"
            id="delete-confirmation"
            autoComplete="off"
            state={forIntent("delete")?.state}
          />
          <button type="submit" className="rounded-lg bg-red-700 px-4 py-2 font-semibold text-white hover:bg-red-800">
            Delete my account
          </button>
        </Form>
      </Section>
    </div>
  );
}

function Section({
  id,
  title,
  result,
  danger = false,
  children,
}: {
  id: string;
  title: string;
  result: ActionData | undefined;
  danger?: boolean;
  children: ReactNode;
}) {
  return (
    <section
      aria-labelledby={`${id}-heading`}
      className={`mt-8 rounded-2xl border bg-surface p-6 ${danger ? "border-red-300 dark:border-red-900" : "border-line"}`}
    >
      <h2 id={`${id}-heading`} className="text-lg font-semibold">
        {title}
      </h2>
      <div className="mt-4 space-y-4">
        {result?.message ? <Alert tone="success">{result.message}</Alert> : null}
        {result?.state?.formError ? <Alert tone="error">{result.state.formError}</Alert> : null}
        <div>{children}</div>
      </div>
    </section>
  );
}

function Submit({ children }: { children: ReactNode }) {
  return (
    <button
      type="submit"
      className="rounded-lg bg-accent px-4 py-2 font-semibold text-on-accent hover:bg-accent-strong"
    >
      {children}
    </button>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
