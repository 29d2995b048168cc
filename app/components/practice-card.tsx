import { useRef } from "react";
import type { PracticeCard as Card } from "../../db/queries/interview.ts";
import { useCodeCopyButtons } from "./code-copy-buttons";
import { PracticeRatingForm } from "./practice-rating-form";

/**
 * One question: the prompt, the model answer behind a <details> (opens without
 * JavaScript), then the rating buttons.
 */
export function PracticeCard({ card, total }: { card: Card; total: number }) {
  const answer = useRef<HTMLDivElement>(null);
  useCodeCopyButtons(answer, card.answerHtml);
  return (
    <article aria-labelledby="question-heading" className="mt-6 rounded-2xl border border-line bg-surface p-5 sm:p-8">
      <p className="flex flex-wrap items-center gap-2 font-mono text-sm font-semibold text-accent-strong">
        Question {card.position} of {total}
        {card.isNew ? (
          <span className="rounded-full bg-accent-soft px-2 py-0.5 font-sans text-xs font-medium">New</span>
        ) : null}
      </p>
      <h2 id="question-heading" className="mt-3 text-xl font-semibold text-balance sm:text-2xl">
        {card.prompt}
      </h2>
      <p className="mt-3 text-sm text-muted">
        Answer out loud first, the way you would to an interviewer. Then compare with the model answer.
      </p>

      <details key={card.questionId} className="group mt-6 rounded-xl border border-line bg-canvas">
        <summary className="cursor-pointer rounded-xl px-4 py-3 font-semibold text-accent-strong hover:bg-surface-2">
          <span className="group-open:hidden">Show model answer</span>
          <span className="hidden group-open:inline">Hide model answer</span>
        </summary>
        <div
          ref={answer}
          className="prose max-w-none border-t border-line px-4 py-5"
          dangerouslySetInnerHTML={{ __html: card.answerHtml }}
        />
      </details>

      <PracticeRatingForm questionId={card.questionId} expected={String(card.expected)} choices={card.choices} />
    </article>
  );
}
