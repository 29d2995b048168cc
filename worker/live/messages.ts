import * as z from "zod/mini";

// What the server sends over /api/live. Built with zod/mini because the browser validates
// every message too, and the classic zod build would add ~20 KB (gzipped) to every page.

export const scheduleEventSchema = z.object({
  /** Stable across syncs ("release:module:7", "phase:running"), so an applied event stays applied. */
  key: z.string().check(z.minLength(1), z.maxLength(200)),
  /** Epoch milliseconds. */
  at: z.number().check(z.int(), z.nonnegative()),
  kind: z.enum(["release", "phase"]),
  label: z.string().check(z.maxLength(200)),
});

const id = z.number().check(z.int(), z.positive());

export const announcementMessageSchema = z.object({
  type: z.literal("announcement"),
  id,
  title: z.string(),
  html: z.string(),
  /** null: posted to everyone. */
  cohortId: z.nullable(id),
});

/** A post or reply was added to a lecture's discussion: readers of that lecture reload the thread. */
export const discussionMessageSchema = z.object({ type: z.literal("discussion"), lectureId: id, postId: id });

export const serverMessageSchema = z.discriminatedUnion("type", [
  announcementMessageSchema,
  z.object({ type: z.literal("schedule"), event: scheduleEventSchema }),
  discussionMessageSchema,
  z.object({ type: z.literal("pong") }),
  z.object({ type: z.literal("error"), message: z.string() }),
]);

export type ScheduleEvent = z.infer<typeof scheduleEventSchema>;
export type AnnouncementMessage = z.infer<typeof announcementMessageSchema>;
export type DiscussionMessage = z.infer<typeof discussionMessageSchema>;
export type ServerMessage = z.infer<typeof serverMessageSchema>;

/** The message in a WebSocket frame, or null for anything that is not one of ours. */
export function parseServerMessage(data: unknown): ServerMessage | null {
  if (typeof data !== "string") return null;
  try {
    const parsed = serverMessageSchema.safeParse(JSON.parse(data));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
