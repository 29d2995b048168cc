import * as z from "zod";
import { fromLocal, isValidTimeZone, toLocal } from "../../db/cohorts/release.ts";
import { slugSchema } from "../../db/content/slug.ts";
import type { CohortDraft } from "../../db/queries/admin-cohorts.ts";
import type { CohortSummary } from "../../db/queries/cohorts.ts";
import { parseForm, type FormState } from "~/lib/forms";

// The create and edit forms of a cohort share these fields and rules. Dates are typed as
// wall-clock times in the cohort's own timezone (what the school announces), and turned
// into instants here, with that timezone.

export const COHORT_FIELDS = [
  "name",
  "slug",
  "courseTitle",
  "timezone",
  "startsAt",
  "endsAt",
  "enrollmentOpensAt",
  "enrollmentClosesAt",
  "capacity",
  "price",
  "currency",
] as const;

/** Paths under /admin/cohorts/ that are pages, so no cohort may take them as its slug. */
const RESERVED_SLUGS = new Set(["new"]);

const LOCAL_DATETIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::\d{2}(?:\.\d+)?)?$/;

const text = (label: string, max: number) =>
  z
    .string({ error: `Enter the ${label}.` })
    .trim()
    .min(1, `Enter the ${label}.`)
    .max(max, `The ${label} can be up to ${max} characters.`);

const localDateTime = (label: string) =>
  z
    .string({ error: `Enter when ${label}.` })
    .trim()
    .min(1, `Enter when ${label}.`)
    .refine((value) => parseLocal(value) !== null, "Enter a date and time, like 2026-03-12T10:00.");

/** ISO currency codes the runtime knows; any three letters where it cannot list them. */
function isCurrency(code: string): boolean {
  const known = typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("currency") : null;
  return known ? known.includes(code.toUpperCase()) : /^[a-z]{3}$/i.test(code);
}

/** Digits after the decimal point in `currency`'s smallest unit (2 for USD, 0 for JPY). */
function minorDigits(currency: string): number {
  return new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
}

const cohortSchema = z.object({
  name: text("cohort's name", 100),
  slug: z
    .string({ error: "Enter a slug." })
    .trim()
    .pipe(slugSchema.refine((slug) => !RESERVED_SLUGS.has(slug), "This slug names an admin page; choose another.")),
  courseTitle: text("course title", 120),
  timezone: z
    .string({ error: "Enter a timezone." })
    .trim()
    .min(1, "Enter a timezone, like Asia/Bishkek.")
    .refine(isValidTimeZone, "Enter an IANA timezone name, like Asia/Bishkek or Europe/Berlin."),
  startsAt: localDateTime("the cohort starts"),
  endsAt: localDateTime("the cohort ends"),
  enrollmentOpensAt: localDateTime("enrolment opens"),
  enrollmentClosesAt: localDateTime("enrolment closes"),
  capacity: z
    .string({ error: "Enter the number of seats." })
    .trim()
    .regex(/^\d{1,5}$/, "Enter a whole number of seats, like 30.")
    .transform(Number)
    .refine((seats) => seats >= 1 && seats <= 10_000, "Enter from 1 to 10,000 seats."),
  price: z
    .string({ error: "Enter the price." })
    .trim()
    .regex(/^\d{1,7}(\.\d{1,3})?$/, "Enter the price as a number, like 490 or 490.00."),
  currency: z
    .string({ error: "Enter the currency." })
    .trim()
    .toLowerCase()
    .refine((code) => /^[a-z]{3}$/.test(code) && isCurrency(code), "Enter a three-letter currency code, like USD."),
});

function parseLocal(value: string) {
  const match = LOCAL_DATETIME.exec(value);
  if (!match) return null;
  const [year, month, day, hour, minute] = match.slice(1, 6).map(Number) as [number, number, number, number, number];
  const check = new Date(Date.UTC(year, month - 1, day, hour, minute));
  // Reject dates that Date.UTC would roll over (31 February, 25:00).
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day || hour > 23 || minute > 59) return null;
  return { year, month, day, hour, minute };
}

/** An instant as the form shows it: "2026-03-12T10:00" on the wall clock of `timeZone`. */
export function toLocalInput(date: Date, timeZone: string): string {
  const local = toLocal(date, timeZone);
  const pad = (value: number) => String(value).padStart(2, "0");
  return `${local.year}-${pad(local.month)}-${pad(local.day)}T${pad(local.hour)}:${pad(local.minute)}`;
}

/** The form's starting values for an existing cohort. */
export function cohortFormValues(cohort: CohortSummary): Record<string, string> {
  const digits = minorDigits(cohort.currency);
  return {
    name: cohort.name,
    slug: cohort.slug,
    courseTitle: cohort.courseTitle,
    timezone: cohort.timezone,
    startsAt: toLocalInput(cohort.startsAt, cohort.timezone),
    endsAt: toLocalInput(cohort.endsAt, cohort.timezone),
    enrollmentOpensAt: toLocalInput(cohort.enrollmentOpensAt, cohort.timezone),
    enrollmentClosesAt: toLocalInput(cohort.enrollmentClosesAt, cohort.timezone),
    capacity: String(cohort.capacity),
    price: (cohort.priceCents / 10 ** digits).toFixed(digits),
    currency: cohort.currency.toUpperCase(),
  };
}

type Parsed = { ok: true; draft: CohortDraft } | { ok: false; state: FormState };

/**
 * Validates a submitted cohort form: each field on its own, then the calendar (ends after
 * it starts; enrolment opens before it closes, and closes at or before the start) and, for
 * an existing cohort, a capacity no lower than the seats already taken.
 */
export function parseCohortForm(formData: FormData, options: { seatsTaken?: number } = {}): Parsed {
  const parsed = parseForm(formData, cohortSchema, [...COHORT_FIELDS]);
  if (!parsed.ok) return parsed;
  const form = parsed.data;
  const at = (value: string) => fromLocal(parseLocal(value)!, form.timezone);
  const draft: CohortDraft = {
    name: form.name,
    slug: form.slug,
    courseTitle: form.courseTitle,
    timezone: form.timezone,
    startsAt: at(form.startsAt),
    endsAt: at(form.endsAt),
    enrollmentOpensAt: at(form.enrollmentOpensAt),
    enrollmentClosesAt: at(form.enrollmentClosesAt),
    capacity: form.capacity,
    priceCents: 0,
    currency: form.currency,
  };

  const errors: Record<string, string> = {};
  const digits = minorDigits(form.currency);
  const [whole, fraction = ""] = form.price.split(".");
  if (fraction.length > digits) {
    errors.price =
      digits === 0
        ? `${form.currency.toUpperCase()} has no smaller unit: enter a whole number.`
        : `Use at most ${digits} digits after the point for ${form.currency.toUpperCase()}.`;
  } else {
    draft.priceCents = Number(whole) * 10 ** digits + Number(fraction.padEnd(digits, "0") || "0");
  }
  if (draft.endsAt <= draft.startsAt) errors.endsAt = "The cohort must end after it starts.";
  if (draft.enrollmentClosesAt <= draft.enrollmentOpensAt) {
    errors.enrollmentClosesAt = "Enrolment must close after it opens.";
  } else if (draft.enrollmentClosesAt > draft.startsAt) {
    errors.enrollmentClosesAt = "Enrolment must close before the cohort starts, or exactly when it starts.";
  }
  if (options.seatsTaken !== undefined && draft.capacity < options.seatsTaken) {
    errors.capacity = capacityError(options.seatsTaken);
  }
  if (Object.keys(errors).length > 0) return { ok: false, state: { fields: echo(formData), errors } };
  return { ok: true, draft };
}

export function capacityError(seatsTaken: number): string {
  return `${seatsTaken} ${seatsTaken === 1 ? "seat is" : "seats are"} already taken: the capacity cannot be lower.`;
}

/** What was typed, to put back into the form. */
export function echo(formData: FormData): Record<string, string> {
  return Object.fromEntries(
    COHORT_FIELDS.map((name) => [name, formData.get(name)]).filter(
      (entry): entry is [string, string] => typeof entry[1] === "string",
    ),
  );
}
