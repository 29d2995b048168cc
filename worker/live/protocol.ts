import * as z from "zod";
import { scheduleEventSchema } from "./messages.ts";

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

export const scheduleSchema = z.object({
  cohortId: z.number().int().positive(),
  events: z.array(scheduleEventSchema).max(500),
});

export type Schedule = z.infer<typeof scheduleSchema>;

export {
  parseServerMessage,
  scheduleEventSchema,
  serverMessageSchema,
  type AnnouncementMessage,
  type DiscussionMessage,
  type ScheduleEvent,
  type ServerMessage,
} from "./messages.ts";
