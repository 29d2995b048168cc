import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/cloudflare";
import { Form, Link, useLoaderData, useNavigation } from "@remix-run/react";
import { searchLectures, searchQuerySchema, type SearchHit } from "../../db/queries/search.ts";
import { ApiError } from "../../worker/api/errors.ts";
import { clientAddress, enforceRateLimit } from "../../worker/services/rate-limit.ts";
import { EmptyState } from "~/components/empty-state";
import { ErrorPage } from "~/components/error-page";
import { HighlightedText } from "~/components/highlighted-text";
import { SearchIcon } from "~/components/icons";
import { getOptionalUser } from "~/lib/auth.server";
import { pageMeta } from "~/lib/site";

const SUGGESTIONS = ["kubectl logs", "systemd", "subnet", "terraform state", "multi-stage build", "PromQL"];

type SearchState =
  | { status: "idle"; query: string }
  | { status: "invalid"; query: string; message: string }
  | { status: "rate-limited"; query: string; message: string }
  | { status: "done"; query: string; results: SearchHit[] };

export async function loader({ request, context }: LoaderFunctionArgs) {
  const query = new URL(request.url).searchParams.get("q") ?? "";
  if (query.trim() === "") return { status: "idle", query } satisfies SearchState;

  const parsed = searchQuerySchema.safeParse({ q: query });
  if (!parsed.success) {
    const message = parsed.error.issues[0]?.message ?? "Check your search.";
    return data({ status: "invalid", query, message } satisfies SearchState, { status: 400 });
  }
  try {
    await enforceRateLimit(context.cloudflare.env, "search", clientAddress(request));
  } catch (error) {
    if (error instanceof ApiError && error.code === "RATE_LIMITED") {
      return data({ status: "rate-limited", query, message: error.message } satisfies SearchState, {
        status: 429,
        headers: error.headers,
      });
    }
    throw error;
  }
  const results = await searchLectures(context.services.db, parsed.data.q, await getOptionalUser(context));
  return { status: "done", query: parsed.data.q, results } satisfies SearchState;
}

export { forwardRetryAfter as headers } from "~/lib/forms";

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  pageMeta(
    data?.query ? `Search: ${data.query}` : "Search lectures",
    "Search every lecture of the DevOps curriculum: commands, tools and concepts.",
  );

export default function SearchPage() {
  const state = useLoaderData<typeof loader>() as SearchState;
  const navigation = useNavigation();
  const searching = navigation.state === "loading" && navigation.location.pathname === "/search";
  const error = state.status === "invalid" || state.status === "rate-limited" ? state.message : null;

  return (
    <div className="mx-auto max-w-3xl px-4 py-12 sm:px-6">
      <h1 className="text-3xl font-bold tracking-tight">Search lectures</h1>
      <Form method="get" role="search" className="mt-6" aria-busy={searching}>
        <label htmlFor="search-query" className="text-sm font-medium">
          Words, commands or tools
        </label>
        <div className="mt-2 flex gap-2">
          <div className="relative flex-1">
            <SearchIcon className="pointer-events-none absolute top-1/2 left-3 size-5 -translate-y-1/2 text-muted" />
            <input
              id="search-query"
              name="q"
              type="search"
              defaultValue={state.query}
              key={state.query}
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? "search-error" : undefined}
              className="w-full rounded-lg border border-line bg-surface py-2.5 pr-3 pl-10 aria-invalid:border-red-500"
            />
          </div>
          <button
            type="submit"
            className="rounded-lg bg-accent px-5 font-semibold text-on-accent hover:bg-accent-strong disabled:opacity-60"
            disabled={searching}
          >
            {searching ? "Searching…" : "Search"}
          </button>
        </div>
        {error ? (
          <p id="search-error" role="alert" className="mt-2 text-sm text-red-700 dark:text-red-400">
            {error}
          </p>
        ) : null}
      </Form>

      <div className="mt-10" aria-live="polite">
        {state.status === "done" ? <Results query={state.query} results={state.results} /> : null}
        {state.status === "idle" ? (
          <div>
            <h2 className="text-sm font-semibold text-muted">Try searching for</h2>
            <ul className="mt-3 flex flex-wrap gap-2">
              {SUGGESTIONS.map((suggestion) => (
                <li key={suggestion}>
                  <Link
                    to={`/search?q=${encodeURIComponent(suggestion)}`}
                    className="inline-block rounded-full border border-line bg-surface px-3 py-1 text-sm hover:border-accent"
                  >
                    {suggestion}
                  </Link>
                </li>
              ))}
            </ul>
          </div>
        ) : null}
      </div>
    </div>
  );
}

function Results({ query, results }: { query: string; results: SearchHit[] }) {
  if (results.length === 0) {
    return (
      <EmptyState title={`No lectures match “${query}”`}>
        Check the spelling, use fewer words, or search for a tool name such as{" "}
        <Link to="/search?q=docker" className="text-accent-strong underline">
          docker
        </Link>
        .
      </EmptyState>
    );
  }
  return (
    <>
      <p className="text-sm text-muted">
        {results.length === 1 ? "1 lecture" : `${results.length} lectures`} match “{query}”
      </p>
      <ol aria-label="Search results" className="mt-4 space-y-4">
        {results.map((hit) => (
          <li key={`${hit.moduleSlug}/${hit.lectureSlug}`} className="rounded-xl border border-line bg-surface p-5">
            <p className="text-xs font-medium tracking-wide text-muted uppercase">{hit.moduleTitle}</p>
            <h2 className="mt-1 text-lg font-semibold">
              <Link to={`/modules/${hit.moduleSlug}/${hit.lectureSlug}`} className="hover:text-accent-strong">
                <HighlightedText parts={hit.title} />
              </Link>
            </h2>
            <p className="mt-2 text-sm text-muted">
              <HighlightedText parts={hit.snippet} />
            </p>
          </li>
        ))}
      </ol>
    </>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
