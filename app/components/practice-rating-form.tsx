import { Form, useNavigation } from "@remix-run/react";
import type { RatingChoice } from "../../db/queries/interview-scheduler.ts";
import type { ReviewRating } from "../../db/schema.ts";

const BUTTONS: Record<ReviewRating, { label: string; hint: string; className: string }> = {
  again: {
    label: "Again",
    hint: "I could not answer it",
    className:
      "border-red-300 text-red-800 hover:bg-red-50 dark:border-red-800 dark:text-red-200 dark:hover:bg-red-950",
  },
  hard: {
    label: "Hard",
    hint: "Partly, with gaps",
    className:
      "border-amber-300 text-amber-900 hover:bg-amber-50 dark:border-amber-800 dark:text-amber-100 dark:hover:bg-amber-950",
  },
  good: {
    label: "Good",
    hint: "The key points",
    className: "border-accent text-accent-strong hover:bg-accent-soft",
  },
  easy: {
    label: "Easy",
    hint: "All of it, with depth",
    className:
      "border-emerald-300 text-emerald-900 hover:bg-emerald-50 dark:border-emerald-800 dark:text-emerald-100 dark:hover:bg-emerald-950",
  },
};

/**
 * The four ratings as one plain POST form (works without JavaScript). It carries the card's
 * state as shown, so a double click or a resubmitted page cannot schedule the card twice.
 */
export function PracticeRatingForm({
  questionId,
  expected,
  choices,
}: {
  questionId: number;
  expected: string;
  choices: RatingChoice[];
}) {
  const navigation = useNavigation();
  const busy = navigation.state === "submitting";
  return (
    <Form method="post" preventScrollReset className="mt-6">
      <input type="hidden" name="questionId" value={questionId} />
      <input type="hidden" name="expected" value={expected} />
      <fieldset disabled={busy}>
        <legend className="text-sm font-semibold">How well did you know it?</legend>
        <div className="mt-3 grid grid-cols-2 gap-3 sm:grid-cols-4">
          {choices.map((choice) => {
            const button = BUTTONS[choice.rating];
            return (
              <button
                key={choice.rating}
                type="submit"
                name="rating"
                value={choice.rating}
                className={`flex flex-col items-center rounded-xl border-2 bg-surface px-3 py-3 transition disabled:opacity-60 ${button.className}`}
              >
                <span className="font-semibold">{button.label}</span>
                <span className="mt-0.5 font-mono text-sm">{choice.label}</span>
                <span className="mt-1 text-xs text-muted">{button.hint}</span>
              </button>
            );
          })}
        </div>
      </fieldset>
      <p className="mt-3 text-xs text-muted">
        Under each button: when you will see this question again if you choose it.
      </p>
    </Form>
  );
}
