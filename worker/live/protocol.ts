import { z } from "zod";

// What flows over /api/live, shared by the Worker, the cohort clock and the browser.

/**
 * The header through which the Worker tells a CohortClock who an upgrade belongs to. The
 * Worker sets it only after checking the session; requests from outside never carry it
 * to the object, because the Worker builds the forwarded request from scratch.
 */
export const LIVE_USER_HEADER = "x-live-user-id";

/** The clock everyone without a cohort (and every admin) listens to. */
export const EVERYONE_CLOCK = "everyone";

/** Durable Object name of a cohort's clock, or of the clock for everyone. */
export function clockName(cohortId: number | null): string {
  return cohortId === null ? EVERYONE_CLOCK : `cohort:${cohortId}`;
}

// Anything larger than this is not one of our messages.
export const MAX_CLIENT_MESSAGE_BYTES = 1024;

export const clientMessageSchema = z.discriminatedUnion("type", [
  /** Sent on (re)connect; catch-up itself comes from D1 through /api/announcements. */
  z.object({ type: z.literal("hello"), lastSeenId: z.number().int().min(0) }),
  z.object({ type: z.literal("ping") }),
]);

export type ClientMessage = z.infer<typeof clientMessageSchema>;

export const scheduleEventSchema = z.object({
  /** Stable across syncs ("release:module:7", "phase:running"), so an applied event stays applied. */
  key: z.string().min(1).max(200),
  /** Epoch milliseconds. */
  at: z.number().int().nonnegative(),
  kind: z.enum(["release", "phase"]),
  label: z.string().max(200),
});

export const scheduleSchema = z.object({
  cohortId: z.number().int().positive(),
  events: z.array(scheduleEventSchema).max(500),
});

export type ScheduleEvent = z.infer<typeof scheduleEventSchema>;
export type Schedule = z.infer<typeof scheduleSchema>;

export type AnnouncementMessage = {
  type: "announcement";
  id: number;
  title: string;
  html: string;
  /** null: posted to everyone. */
  cohortId: number | null;
};

export type ServerMessage =
  | AnnouncementMessage
  | { type: "schedule"; event: ScheduleEvent }
  | { type: "pong" }
  | { type: "error"; message: string };
