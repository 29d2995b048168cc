import { REVIEW_RATINGS, type ReviewRating } from "../schema.ts";

// Spaced repetition for interview cards, the way Anki schedules with SM-2. Pure functions
// of (card, rating, now): the database layer stores what they return, tests pin them down.
//
// A card is "learning" while its interval is shorter than a day (new cards, and cards
// forgotten in review): it comes back within minutes until it is answered well enough to
// graduate. From then on it is a "review" card, its interval in whole days, growing by
// its ease factor each time it is remembered.

export const MINUTE = 1;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** Learning steps, in minutes. */
export const AGAIN_STEP = 1 * MINUTE;
export const HARD_STEP = 6 * MINUTE;
export const GOOD_STEP = 10 * MINUTE;
/** Where a forgotten review card restarts. */
export const RELEARN_STEP = 10 * MINUTE;
/** First intervals once a card leaves learning. */
export const GRADUATING_INTERVAL = 1 * DAY;
export const EASY_INTERVAL = 4 * DAY;
/** No card waits longer than this, however easy: interviews come round within a year. */
export const MAX_INTERVAL = 365 * DAY;

/** Ease in thousandths, as SM-2 keeps it. */
export const STARTING_EASE = 2500;
export const MIN_EASE = 1300;
const LAPSE_EASE_PENALTY = 200;
const HARD_EASE_PENALTY = 150;
const EASY_EASE_BONUS = 150;
const HARD_MULTIPLIER = 1.2;
const EASY_BONUS = 1.3;

/** What the scheduler needs to know about a card the student has seen before. */
export type CardState = {
  easePermille: number;
  intervalMinutes: number;
  repetitions: number;
  lapses: number;
};

export type ScheduledCard = CardState & { lastRating: ReviewRating; dueAt: Date };

export function isLearning(card: CardState | null): boolean {
  return card === null || card.intervalMinutes < DAY;
}

/** The next state of a card (null: never reviewed) after the student rates it at `now`. */
export function scheduleReview(card: CardState | null, rating: ReviewRating, now: Date): ScheduledCard {
  const current = card ?? { easePermille: STARTING_EASE, intervalMinutes: 0, repetitions: 0, lapses: 0 };
  const next = isLearning(card) ? learningStep(current, rating) : reviewStep(current, rating);
  return { ...next, lastRating: rating, dueAt: new Date(now.getTime() + next.intervalMinutes * 60_000) };
}

/** New and relearning cards: short steps in minutes, then graduation. Ease is left alone, as in Anki. */
function learningStep(card: CardState, rating: ReviewRating): CardState {
  const repetitions = rating === "again" ? 0 : card.repetitions + 1;
  const interval = {
    again: AGAIN_STEP,
    hard: HARD_STEP,
    // The first "good" moves to the last step; "good" on the last step graduates.
    good: card.intervalMinutes >= GOOD_STEP ? GRADUATING_INTERVAL : GOOD_STEP,
    easy: EASY_INTERVAL,
  }[rating];
  return { ...card, intervalMinutes: interval, repetitions };
}

/** Review cards: intervals in whole days, multiplied by the ease factor. */
function reviewStep(card: CardState, rating: ReviewRating): CardState {
  if (rating === "again") {
    return {
      easePermille: Math.max(MIN_EASE, card.easePermille - LAPSE_EASE_PENALTY),
      intervalMinutes: RELEARN_STEP,
      repetitions: 0,
      lapses: card.lapses + 1,
    };
  }
  const days = Math.round(card.intervalMinutes / DAY);
  const ease = card.easePermille / 1000;
  // Each button must wait at least a day longer than the one before it, so "good" and
  // "easy" always move a card further out (until the cap), even from a one-day interval.
  const hard = Math.max(Math.round(days * HARD_MULTIPLIER), days + 1);
  const good = Math.max(Math.round(days * ease), hard + 1);
  const easy = Math.max(Math.round(days * ease * EASY_BONUS), good + 1);
  const nextDays = { hard, good, easy }[rating];
  const easeChange = { hard: -HARD_EASE_PENALTY, good: 0, easy: EASY_EASE_BONUS }[rating];
  return {
    easePermille: Math.max(MIN_EASE, card.easePermille + easeChange),
    intervalMinutes: Math.min(nextDays * DAY, MAX_INTERVAL),
    repetitions: card.repetitions + 1,
    lapses: card.lapses,
  };
}

/** "1 min", "6 min", "2 h", "1 day", "4 days", "1.5 months", "1 year". */
export function formatInterval(minutes: number): string {
  if (minutes < HOUR) return unit(Math.max(1, Math.round(minutes)), "min", "min");
  if (minutes < DAY) return unit(Math.round(minutes / HOUR), "h", "h");
  const days = Math.round(minutes / DAY);
  if (days < 31) return unit(days, "day", "days");
  if (days < 365) return unit(oneDecimal(days / 30.4), "month", "months");
  return unit(oneDecimal(days / 365), "year", "years");
}

function oneDecimal(value: number) {
  return Math.round(value * 10) / 10;
}

function unit(value: number, one: string, many: string) {
  return `${value} ${value === 1 ? one : many}`;
}

export type RatingChoice = { rating: ReviewRating; intervalMinutes: number; label: string };

/** What each button would do to this card: the four choices in button order, with labels for the UI. */
export function ratingChoices(card: CardState | null, now: Date): RatingChoice[] {
  return REVIEW_RATINGS.map((rating) => {
    const { intervalMinutes } = scheduleReview(card, rating, now);
    return { rating, intervalMinutes, label: formatInterval(intervalMinutes) };
  });
}
