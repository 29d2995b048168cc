import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/cloudflare";
import { useLoaderData } from "@remix-run/react";
import { listDevOutbox } from "../../db/queries/dev-outbox.ts";
import { EmptyState } from "~/components/empty-state";
import { ErrorPage } from "~/components/error-page";
import { notFound } from "~/lib/params";
import { pageMeta } from "~/lib/site";

export const meta: MetaFunction = () => [...pageMeta("Dev outbox"), { name: "robots", content: "noindex" }];

/** Local mode only: where emails go instead of the internet. Absent (404) everywhere else. */
export async function loader({ context }: LoaderFunctionArgs) {
  if (context.cloudflare.env.APP_ENV !== "local") notFound();
  return { messages: await listDevOutbox(context.services.db) };
}

const URL_PATTERN = /(https?:\/\/[^\s]+)/g;

function LinkifiedText({ text }: { text: string }) {
  return (
    <>
      {text.split(URL_PATTERN).map((part, index) =>
        index % 2 === 1 ? (
          <a key={index} href={part} className="text-accent-strong underline">
            {part}
          </a>
        ) : (
          <span key={index}>{part}</span>
        ),
      )}
    </>
  );
}

const timeFormat = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "medium", timeZone: "UTC" });

export default function DevOutbox() {
  const { messages } = useLoaderData<typeof loader>();
  return (
    <div className="mx-auto max-w-4xl px-4 py-10 sm:px-6">
      <h1 className="text-3xl font-bold tracking-tight">Dev outbox</h1>
      <p className="mt-2 text-muted">
        In local mode, emails are stored here (and written to the log) instead of being sent. Newest first.
      </p>
      {messages.length === 0 ? (
        <div className="mt-8">
          <EmptyState title="No emails yet">
            Register an account or ask for a password reset, then reload this page.
          </EmptyState>
        </div>
      ) : (
        <ol className="mt-8 space-y-4">
          {messages.map((message) => (
            <li key={message.id} className="rounded-2xl border border-line bg-surface p-5">
              <article aria-labelledby={`message-${message.id}`}>
                <h2 id={`message-${message.id}`} className="font-semibold">
                  {message.subject}
                </h2>
                <p className="mt-1 text-sm text-muted">
                  To {message.to} · {timeFormat.format(new Date(message.createdAt))} UTC
                </p>
                <pre className="mt-4 font-sans text-sm whitespace-pre-wrap">
                  <LinkifiedText text={message.text} />
                </pre>
              </article>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
