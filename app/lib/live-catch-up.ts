// The live client's bookkeeping of announcements, kept apart from the component so the
// orderings a socket and a fetch can race into are testable without a browser.

export type CatchUp<T extends { id: number }> = { announcements: T[]; unread: number };

/** What in `announcements` is newer than `lastSeen`: oldest first, each id once. */
export function unseen<T extends { id: number }>(lastSeen: number, announcements: T[]): T[] {
  const byId = new Map<number, T>();
  for (const announcement of announcements) {
    if (announcement.id > lastSeen && !byId.has(announcement.id)) byId.set(announcement.id, announcement);
  }
  return [...byId.values()].sort((a, b) => a.id - b.id);
}

/**
 * Merges a catch-up answer (null when it failed) with the pushes held while it was in
 * flight. The pushes are held because one newer than the catch-up's oldest would otherwise
 * move `lastSeen` past what the catch-up then brings.
 */
export function mergeCatchUp<T extends { id: number }>(
  lastSeen: number,
  caughtUp: CatchUp<T> | null,
  held: T[],
): { fresh: T[]; unread?: number } {
  if (!caughtUp) return { fresh: unseen(lastSeen, held) };
  // The server counted unread as of its query; a held push it did not list was posted after.
  const listed = new Set(caughtUp.announcements.map((announcement) => announcement.id));
  const later = new Set(held.map((push) => push.id).filter((id) => !listed.has(id)));
  return { fresh: unseen(lastSeen, [...caughtUp.announcements, ...held]), unread: caughtUp.unread + later.size };
}

/**
 * One connection's announcements: pushes are held until its catch-up answers, then merged
 * with it; after that they pass straight through. `arrived` must move `lastSeen` to the
 * newest it is given. Per connection, so an older connection's late catch-up cannot
 * release a newer one's held pushes.
 */
export function catchUpGate<T extends { id: number }>(
  lastSeen: () => number,
  arrived: (fresh: T[], unread?: number) => void,
) {
  let held: T[] | null = [];
  return {
    pushed(announcement: T) {
      if (held) held.push(announcement);
      else arrived(unseen(lastSeen(), [announcement]));
    },
    caughtUp(answer: CatchUp<T> | null) {
      const { fresh, unread } = mergeCatchUp(lastSeen(), answer, held ?? []);
      held = null;
      arrived(fresh, unread);
    },
  };
}
