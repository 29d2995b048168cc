import type { CurrentUser } from "../../worker/auth/context.ts";
import type { Database } from "../client.ts";
import { announcementSummaryQuery } from "./announcements.ts";
import { unreadNotificationCount } from "./discussions.ts";

/** The signed-in header's badges (announcements, notifications), in one round trip on every page. */
export async function headerCounts(db: Database, viewer: CurrentUser) {
  const [[summary], [notifications]] = await db.batch([
    announcementSummaryQuery(db, viewer),
    unreadNotificationCount(db, viewer),
  ]);
  return {
    announcements: summary ?? { unread: 0, latestId: 0 },
    unreadNotifications: notifications?.total ?? 0,
  };
}
