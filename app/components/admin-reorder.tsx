import { Form } from "@remix-run/react";

const BUTTON =
  "rounded-md border border-line px-2 py-1 text-xs font-medium hover:bg-surface-2 disabled:cursor-not-allowed disabled:opacity-40";

/**
 * "Move up" and "Move down" for one row of an ordered list: a plain form post (works without
 * JavaScript), named after the row so a screen reader says which row moves.
 */
export function ReorderButtons({
  intent,
  id,
  title,
  isFirst,
  isLast,
}: {
  intent: string;
  id: number;
  title: string;
  isFirst: boolean;
  isLast: boolean;
}) {
  return (
    <Form method="post" preventScrollReset className="flex gap-1.5">
      <input type="hidden" name="intent" value={intent} />
      <input type="hidden" name="id" value={id} />
      <button
        type="submit"
        name="direction"
        value="up"
        disabled={isFirst}
        aria-label={`Move ${title} up`}
        className={BUTTON}
      >
        <span aria-hidden="true">↑</span> Up
      </button>
      <button
        type="submit"
        name="direction"
        value="down"
        disabled={isLast}
        aria-label={`Move ${title} down`}
        className={BUTTON}
      >
        <span aria-hidden="true">↓</span> Down
      </button>
    </Form>
  );
}
