import { Form } from "@remix-run/react";
import type { ReactNode } from "react";

// A destructive admin action behind a second step that works without JavaScript: the first
// click opens the <details>, which says exactly what will happen; only its button posts.

export const DANGER_BUTTON =
  "rounded-lg bg-red-700 px-3 py-1.5 text-sm font-semibold text-white hover:bg-red-800 dark:bg-red-600 dark:hover:bg-red-700";

export function ConfirmAction({
  summary,
  intent,
  fields = {},
  confirm,
  children,
  className = "",
}: {
  summary: string;
  intent: string;
  fields?: Record<string, string>;
  confirm: string;
  children: ReactNode;
  className?: string;
}) {
  return (
    <details className={className}>
      <summary className="cursor-pointer text-sm font-medium text-red-700 underline underline-offset-2 dark:text-red-400">
        {summary}
      </summary>
      <Form method="post" className="mt-2 max-w-md space-y-3 rounded-lg border border-line bg-surface-2 p-3 text-sm">
        <input type="hidden" name="intent" value={intent} />
        {Object.entries(fields).map(([name, value]) => (
          <input key={name} type="hidden" name={name} value={value} />
        ))}
        <div className="space-y-2">{children}</div>
        <button type="submit" className={DANGER_BUTTON}>
          {confirm}
        </button>
      </Form>
    </details>
  );
}
