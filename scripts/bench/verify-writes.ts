// After the load: every write the server acknowledged is in D1, exactly once.
import path from "node:path";
import type { D1Database } from "@cloudflare/workers-types";
import { getPlatformProxy } from "wrangler";
import type { AcknowledgedWrites } from "./http.ts";

export type WriteCheck = {
  progress: { acknowledged: number; lost: number };
  posts: { acknowledged: number; lost: number; duplicated: number; unacknowledged: number };
};

export async function verifyWrites(
  stateDir: string,
  runId: string,
  acknowledged: AcknowledgedWrites,
): Promise<WriteCheck> {
  const platform = await getPlatformProxy<{ DB: D1Database }>({
    persist: { path: path.join(path.resolve(stateDir), "v3") },
  });
  try {
    const db = platform.env.DB;
    // A write is lost when its row does not hold the position that write stored.
    let lostProgress = 0;
    for (let i = 0; i < acknowledged.progress.length; i += 400) {
      const chunk = acknowledged.progress.slice(i, i + 400);
      const rows = await db.batch(
        chunk.map(({ userIndex, lectureId }) =>
          db
            .prepare("select position_seconds as seconds from lecture_progress where user_id = ? and lecture_id = ?")
            .bind(`bench-user-${userIndex + 1}`, lectureId),
        ),
      );
      rows.forEach((result, index) => {
        const stored = (result.results[0] as { seconds: number } | undefined)?.seconds;
        if (stored !== chunk[index]!.seconds) lostProgress++;
      });
    }

    const stored = await db
      .prepare(
        "select body_markdown as body, count(*) as copies from discussion_posts where body_markdown like ? group by body_markdown",
      )
      .bind(`Bench post ${runId}-%`)
      .all<{ body: string; copies: number }>();
    const copies = new Map(stored.results.map((row) => [row.body, row.copies]));
    const expected = new Set(acknowledged.posts);
    return {
      progress: { acknowledged: acknowledged.progress.length, lost: lostProgress },
      posts: {
        acknowledged: expected.size,
        lost: [...expected].filter((body) => !copies.has(body)).length,
        duplicated: [...copies.values()].filter((count) => count > 1).length,
        // Rows whose request failed or timed out: a failed write must leave nothing behind.
        unacknowledged: [...copies.keys()].filter((body) => !expected.has(body)).length,
      },
    };
  } finally {
    await platform.dispose();
  }
}
