import { Link } from "@remix-run/react";
import type { DiscussionSort } from "../../db/queries/discussion-limits.ts";

/** `?sort=&page=` for a page of the thread; defaults are left out so links stay short. */
export function threadSearch(sort: DiscussionSort, page: number, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams(extra);
  if (sort !== "newest") params.set("sort", sort);
  if (page > 1) params.set("page", String(page));
  const search = params.toString();
  return search ? `?${search}` : "";
}

const SORT_LABELS: Record<DiscussionSort, string> = { newest: "Newest", top: "Top" };

/** Newest/top tabs: plain links, so sorting works without JavaScript and can be shared. */
export function DiscussionSortTabs({ sort }: { sort: DiscussionSort }) {
  return (
    <nav aria-label="Sort posts" className="flex gap-1 rounded-lg border border-line bg-surface p-1 text-sm">
      {(Object.keys(SORT_LABELS) as DiscussionSort[]).map((option) => (
        <Link
          key={option}
          to={threadSearch(option, 1) || "?"}
          aria-current={option === sort ? "page" : undefined}
          preventScrollReset
          className={`rounded-md px-3 py-1.5 font-medium ${
            option === sort ? "bg-accent-soft text-accent-strong" : "text-muted hover:text-ink"
          }`}
        >
          {SORT_LABELS[option]}
        </Link>
      ))}
    </nav>
  );
}

export function DiscussionPagination({
  sort,
  page,
  pageCount,
}: {
  sort: DiscussionSort;
  page: number;
  pageCount: number;
}) {
  if (pageCount <= 1) return null;
  const link = "rounded-lg border border-line px-4 py-2 text-sm font-medium hover:bg-surface-2";
  return (
    <nav aria-label="Pages of the discussion" className="mt-8 flex flex-wrap items-center justify-between gap-3">
      {page > 1 ? (
        <Link to={threadSearch(sort, page - 1) || "?"} rel="prev" className={link}>
          Previous page
        </Link>
      ) : (
        <span />
      )}
      <span className="text-sm text-muted">{`Page ${page} of ${pageCount}`}</span>
      {page < pageCount ? (
        <Link to={threadSearch(sort, page + 1)} rel="next" className={link}>
          Next page
        </Link>
      ) : (
        <span />
      )}
    </nav>
  );
}
