import type { ReactNode } from "react";

/**
 * The tables of the admin and the student pages: column headings, rows given as children,
 * and on narrow screens the table scrolls inside its card instead of widening the page.
 */
export function DataTable({
  headings,
  caption,
  children,
}: {
  headings: string[];
  /** For screen readers, when the heading above the table does not already say what it lists. */
  caption?: string;
  children: ReactNode;
}) {
  return (
    <div className="overflow-x-auto rounded-2xl border border-line bg-surface">
      <table className="w-full text-left text-sm">
        {caption ? <caption className="sr-only">{caption}</caption> : null}
        <thead className="border-b border-line text-muted">
          <tr>
            {headings.map((heading) => (
              <th key={heading} scope="col" className="px-4 py-3 align-top font-medium">
                {heading}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-line">{children}</tbody>
      </table>
    </div>
  );
}
