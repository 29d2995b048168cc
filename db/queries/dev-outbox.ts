import { desc } from "drizzle-orm";
import type { Database } from "../client.ts";
import { devOutbox } from "../schema.ts";

/** The newest emails "sent" in local mode. */
export async function listDevOutbox(db: Database, limit = 50) {
  return db
    .select({
      id: devOutbox.id,
      to: devOutbox.to,
      subject: devOutbox.subject,
      text: devOutbox.text,
      createdAt: devOutbox.createdAt,
    })
    .from(devOutbox)
    .orderBy(desc(devOutbox.id))
    .limit(limit);
}
