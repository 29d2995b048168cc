// Limits of the admin's content forms, without the queries: safe to import from browser code.

/** /modules/:module/quiz and /modules/:module/project are pages of the module, not lectures. */
export const RESERVED_LECTURE_SLUGS: readonly string[] = ["quiz", "project"];

export const TITLE_MIN = 3;
export const TITLE_MAX = 120;
export const SUMMARY_MIN = 10;
export const SUMMARY_MAX = 160;
export const SLUG_MAX = 80;
export const DURATION_MAX_MINUTES = 600;
export const RELEASE_OFFSET_MAX_DAYS = 365;
export const OVERVIEW_MAX = 50_000;
export const LECTURE_BODY_MAX = 200_000;
export const VERSION_NOTE_MAX = 200;
