import { cohortIdsWithMembers } from "../../db/queries/cohort-schedule.ts";
import { allCohortIds } from "../../db/queries/member-cohort.ts";
import type { AnnouncementView } from "../../db/queries/announcements.ts";
import type { Database } from "../../db/client.ts";
import type { Logger } from "../services/logger.ts";
import { clockName, type AnnouncementMessage, type DiscussionMessage, type ServerMessage } from "./protocol.ts";

/** The clock of a cohort, or (null) the clock for everyone. */
export function cohortClock(env: Env, cohortId: number | null) {
  return env.COHORT_CLOCK.get(env.COHORT_CLOCK.idFromName(clockName(cohortId)));
}

export type BroadcastResult = { clocks: number; failed: number; sockets: number };

/**
 * Pushes a stored announcement to connected members: to its cohort's clock, or for
 * everyone to the "everyone" clock and every cohort's clock. Delivery is best effort:
 * the announcement is already in D1 and clients catch up from it when they reconnect,
 * so a failing clock is logged, never thrown.
 */
export async function broadcastAnnouncement(
  env: Env,
  db: Database,
  log: Logger,
  announcement: Pick<AnnouncementView, "id" | "title" | "html" | "cohortId">,
): Promise<BroadcastResult> {
  const message: AnnouncementMessage = {
    type: "announcement",
    id: announcement.id,
    title: announcement.title,
    html: announcement.html,
    cohortId: announcement.cohortId,
  };
  const targets = announcement.cohortId === null ? [null, ...(await allCohortIds(db))] : [announcement.cohortId];
  return sendToClocks(env, log, targets, message, { announcementId: announcement.id });
}

/**
 * Tells every clock that may have readers (everyone's, and each cohort with members) that
 * a lecture's discussion has a new post. The message carries ids only: each reader's page
 * reloads the thread through its own loader, which applies that reader's access rules.
 * Best effort like announcements: never throws.
 */
export async function broadcastDiscussionPost(
  env: Env,
  db: Database,
  log: Logger,
  post: { lectureId: number; postId: number },
): Promise<BroadcastResult> {
  const message: DiscussionMessage = { type: "discussion", lectureId: post.lectureId, postId: post.postId };
  try {
    const targets = [null, ...(await cohortIdsWithMembers(db))];
    return await sendToClocks(env, log, targets, message, post);
  } catch (error) {
    log.warn("discussion broadcast failed", { ...post, error });
    return { clocks: 0, failed: 1, sockets: 0 };
  }
}

/** Sends one message to several clocks at once; a failing clock is logged and counted. */
async function sendToClocks(
  env: Env,
  log: Logger,
  targets: Array<number | null>,
  message: ServerMessage,
  fields: Record<string, unknown>,
): Promise<BroadcastResult> {
  const results = await Promise.allSettled(targets.map((cohortId) => cohortClock(env, cohortId).broadcast(message)));
  let sockets = 0;
  let failed = 0;
  for (const result of results) {
    if (result.status === "fulfilled") sockets += result.value;
    else {
      failed++;
      log.warn(`${message.type} broadcast failed`, { ...fields, error: result.reason });
    }
  }
  return { clocks: targets.length, failed, sockets };
}
