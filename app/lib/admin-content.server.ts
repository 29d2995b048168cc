import type { AppLoadContext } from "@remix-run/cloudflare";
import * as z from "zod";
import { slugSchema } from "../../db/content/slug.ts";
import {
  DURATION_MAX_MINUTES,
  LECTURE_BODY_MAX,
  OVERVIEW_MAX,
  RELEASE_OFFSET_MAX_DAYS,
  SLUG_MAX,
  SUMMARY_MAX,
  SUMMARY_MIN,
  TITLE_MAX,
  TITLE_MIN,
  VERSION_NOTE_MAX,
} from "../../db/queries/admin-content-limits.ts";
import type { WriteResult } from "../../db/queries/admin-content.ts";
import type { LectureDraft } from "../../db/queries/lecture-writes.ts";
import { syncUnfinishedCohorts } from "../../worker/live/schedule-sync.ts";
import { renderMarkdown } from "../../worker/markdown/render.ts";
import { invalid, type FormState } from "~/lib/forms";
import { notFound } from "~/lib/params";

// What the admin's module and lecture forms accept, and the small steps their actions share.

/** An id in an admin URL: a positive whole number, anything else cannot exist. */
export function idParam(value: string | undefined): number {
  if (!value || !/^[1-9]\d{0,15}$/.test(value)) notFound();
  return Number(value);
}

/** Browsers send textarea line breaks as CRLF; stored markdown uses LF. */
const lf = (value: string) => value.replace(/\r\n?/g, "\n");

/** A checkbox is in the form data ("on") only when it is ticked. */
const checkbox = z
  .string()
  .optional()
  .transform((value) => value !== undefined);

const titleField = z
  .string({ error: "Enter a title." })
  .trim()
  .min(TITLE_MIN, `Enter a title of at least ${TITLE_MIN} characters.`)
  .max(TITLE_MAX, `Keep the title to ${TITLE_MAX} characters or fewer.`);

const slugField = z
  .string({ error: "Enter a slug, like docker-basics." })
  .trim()
  .min(1, "Enter a slug, like docker-basics.")
  .max(SLUG_MAX, `Keep the slug to ${SLUG_MAX} characters or fewer.`)
  .pipe(slugSchema);

const summaryField = z
  .string({ error: "Enter a one-sentence summary." })
  .trim()
  .min(SUMMARY_MIN, `Write a summary of at least ${SUMMARY_MIN} characters.`)
  .max(SUMMARY_MAX, `Keep the summary to ${SUMMARY_MAX} characters or fewer: it is shown on cards.`);

const wholeNumber = (message: string, min: number, max: number, range: string) =>
  z
    .string({ error: message })
    .trim()
    .regex(/^\d{1,4}$/, message)
    .transform(Number)
    .refine((value) => value >= min && value <= max, range);

export const moduleForm = z.object({
  title: titleField,
  slug: slugField,
  summary: summaryField,
  overviewMarkdown: z
    .string()
    .default("")
    .transform(lf)
    .pipe(z.string().max(OVERVIEW_MAX, `The overview can be up to ${OVERVIEW_MAX.toLocaleString("en")} characters.`)),
  published: checkbox,
  releaseOffsetDays: wholeNumber(
    "Enter a whole number of days, like 0 or 14.",
    0,
    RELEASE_OFFSET_MAX_DAYS,
    `Enter from 0 to ${RELEASE_OFFSET_MAX_DAYS} days.`,
  ),
  releaseTime: z
    .string()
    .trim()
    .default("")
    .refine(
      (value) => value === "" || /^([01]\d|2[0-3]):[0-5]\d$/.test(value),
      "Enter a 24-hour time like 09:00, or leave it empty.",
    )
    .transform((value) => (value === "" ? null : value)),
});

export const MODULE_ECHO = [
  "title",
  "slug",
  "summary",
  "overviewMarkdown",
  "published",
  "releaseOffsetDays",
  "releaseTime",
];

export const lectureForm = z.object({
  title: titleField,
  slug: slugField,
  summary: summaryField,
  durationMinutes: wholeNumber(
    "Enter the length in whole minutes, like 25.",
    1,
    DURATION_MAX_MINUTES,
    `Enter from 1 to ${DURATION_MAX_MINUTES} minutes.`,
  ),
  freePreview: checkbox,
  published: checkbox,
  bodyMarkdown: z
    .string({ error: "Write the lecture's body." })
    .transform(lf)
    .pipe(
      z
        .string()
        .max(LECTURE_BODY_MAX, `The body can be up to ${LECTURE_BODY_MAX.toLocaleString("en")} characters.`)
        .refine((value) => value.trim() !== "", "Write the lecture's body."),
    ),
  note: z
    .string()
    .trim()
    .max(VERSION_NOTE_MAX, `Keep the note to ${VERSION_NOTE_MAX} characters or fewer.`)
    .default(""),
});

/** The lecture's own fields from a valid editor submission (the note belongs to the version). */
export function lectureDraft(form: z.infer<typeof lectureForm>): LectureDraft {
  const { title, slug, summary, bodyMarkdown, durationMinutes, published, freePreview } = form;
  return { title, slug, summary, bodyMarkdown, durationMinutes, published, freePreview };
}

export const LECTURE_ECHO = [
  "title",
  "slug",
  "summary",
  "durationMinutes",
  "freePreview",
  "published",
  "bodyMarkdown",
  "note",
];

/** Everything typed into a form, for answers that keep the form as it was. */
export function typedFields(formData: FormData, names: string[]): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const name of names) {
    const value = formData.get(name);
    if (typeof value === "string") fields[name] = value;
  }
  return fields;
}

const SLUG_ERRORS = {
  slug_taken: {
    module: "Another module already uses this slug: choose a different one.",
    lecture: "Another lecture in this module already uses this slug: choose a different one.",
  },
  slug_reserved: {
    module: "This slug is reserved.",
    lecture: "“quiz” and “project” are the module's own pages: choose a different slug.",
  },
} as const;

/** A refused write as the form's answer: the slug field says what is wrong, everything typed stays. */
export function slugProblem(
  result: Exclude<WriteResult, { ok: true }>,
  kind: "module" | "lecture",
  formData: FormData,
  echo: string[],
  intent: string,
) {
  if (result.reason === "not_found") notFound();
  const state: FormState = { fields: typedFields(formData, echo), errors: { slug: SLUG_ERRORS[result.reason][kind] } };
  return invalid(state, { status: 409, intent });
}

/**
 * The "Preview" button without JavaScript: the body rendered by the lecture pipeline, and the
 * form exactly as typed (nothing is saved).
 */
export function previewAnswer(formData: FormData) {
  const body = lf(String(formData.get("bodyMarkdown") ?? "")).slice(0, LECTURE_BODY_MAX);
  return {
    intent: "preview",
    state: { fields: typedFields(formData, LECTURE_ECHO), errors: {} } satisfies FormState,
    previewHtml: renderMarkdown(body).html,
  };
}

/**
 * After a published module's release settings change: hand every running cohort's clock
 * its new schedule. The change is stored already; the periodic sync repairs a failure.
 */
export async function syncClocksAfterModuleChange(context: AppLoadContext) {
  const { db, log } = context.services;
  try {
    await syncUnfinishedCohorts(context.cloudflare.env, db, log);
  } catch (error) {
    log.error("cohort clock sync after a module change failed", { error });
  }
}

/** Removes deleted lectures' files from the bucket; their rows are gone already. */
export async function deleteLectureObjects(context: AppLoadContext, keys: string[]) {
  if (keys.length === 0) return;
  try {
    for (let start = 0; start < keys.length; start += 1000) {
      await context.cloudflare.env.LECTURE_ASSETS.delete(keys.slice(start, start + 1000));
    }
  } catch (error) {
    context.services.log.error("removing deleted lectures' files from R2 failed", { keys: keys.length, error });
  }
}
