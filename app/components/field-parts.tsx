import type { ReactNode } from "react";

// The pieces every labelled input on the site is made of, so that hints and errors look and
// are announced the same everywhere: the error is tied to its input by aria-describedby.

export const INPUT_CLASS =
  "mt-1.5 block w-full rounded-lg border border-line bg-surface px-3 py-2 aria-invalid:border-red-600 dark:aria-invalid:border-red-400";

/** The ids of the hint and error an input has, for aria-describedby. */
export function describedBy(id: string, hint?: ReactNode, error?: string) {
  return [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(" ") || undefined;
}

export function HintAndError({ id, hint, error }: { id: string; hint?: ReactNode; error?: string }) {
  return (
    <>
      {hint ? (
        <p id={`${id}-hint`} className="mt-1 text-xs text-muted">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={`${id}-error`} className="mt-1 text-sm text-red-700 dark:text-red-400">
          {error}
        </p>
      ) : null}
    </>
  );
}
