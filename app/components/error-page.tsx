import { isRouteErrorResponse, Link, useRouteError } from "@remix-run/react";

/** Shown inside the layout by every error boundary: 404s, other HTTP errors, crashes. */
export function ErrorPage() {
  const error = useRouteError();
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const notFound = status === 404;

  return (
    <div className="mx-auto max-w-2xl px-4 py-24 text-center sm:px-6">
      <p className="font-mono text-sm font-semibold text-accent-strong">{status}</p>
      <h1 className="mt-3 text-3xl font-bold tracking-tight sm:text-4xl">
        {notFound ? "This page doesn't exist" : "Something went wrong"}
      </h1>
      <p className="mt-4 text-muted">
        {notFound
          ? "The link may be old, or the lecture may have moved. The curriculum lists everything that is published."
          : "We couldn't load this page. Try again in a moment; if it keeps happening, let the school know."}
      </p>
      <div className="mt-8 flex flex-wrap justify-center gap-3">
        <Link
          to="/modules"
          className="rounded-lg bg-accent px-4 py-2 font-medium text-on-accent hover:bg-accent-strong"
        >
          Browse the curriculum
        </Link>
        <Link to="/search" className="rounded-lg border border-line px-4 py-2 font-medium hover:bg-surface-2">
          Search lectures
        </Link>
      </div>
    </div>
  );
}
