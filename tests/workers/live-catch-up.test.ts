import { describe, expect, it } from "vitest";
import { type CatchUp, catchUpGate, mergeCatchUp, unseen } from "../../app/lib/live-catch-up.ts";

// The browser's live client says hello and fetches what it missed on every (re)connect,
// while the socket may already be pushing newer announcements. Whatever the order, each
// announcement must be shown once, in id order, and counted in the unread badge.

type Announcement = { id: number; title: string };

const announcement = (id: number): Announcement => ({ id, title: `Announcement ${id}` });
const ids = (announcements: Announcement[]) => announcements.map((item) => item.id);
const caughtUp = (list: number[], unread: number): CatchUp<Announcement> => ({
  announcements: list.map(announcement),
  unread,
});

/** One connection's events in the given order, through the gate, with the component's bookkeeping. */
function replay(lastSeen: number, events: Array<["push", number] | ["caught up", CatchUp<Announcement> | null]>) {
  const shown: number[] = [];
  let unread = 0;
  const gate = catchUpGate<Announcement>(
    () => lastSeen,
    (fresh, unreadNow) => {
      if (fresh.length === 0) return;
      lastSeen = fresh.at(-1)!.id;
      shown.push(...ids(fresh));
      unread = unreadNow ?? unread + fresh.length;
    },
  );
  for (const [kind, value] of events) {
    if (kind === "push") gate.pushed(announcement(value));
    else gate.caughtUp(value);
  }
  return { shown, unread, lastSeen };
}

describe("the live client's catch-up after a reconnect", () => {
  it("keeps what the catch-up brings when a newer push arrives before it answers", () => {
    // Missed 10 and 11 while away; 12 is pushed before the catch-up (which lists it) answers.
    expect(
      replay(9, [
        ["push", 12],
        ["caught up", caughtUp([10, 11, 12], 3)],
      ]),
    ).toEqual({
      shown: [10, 11, 12],
      unread: 3,
      lastSeen: 12,
    });
    // 12 was posted after the catch-up's query: listed nowhere but the push, so counted on top.
    expect(
      replay(9, [
        ["push", 12],
        ["caught up", caughtUp([10, 11], 2)],
      ]),
    ).toEqual({
      shown: [10, 11, 12],
      unread: 3,
      lastSeen: 12,
    });
  });

  it("shows an announcement both pushed and caught up once, whichever comes first", () => {
    expect(
      replay(9, [
        ["push", 10],
        ["push", 10],
        ["caught up", caughtUp([10], 1)],
        ["push", 10],
      ]),
    ).toEqual({
      shown: [10],
      unread: 1,
      lastSeen: 10,
    });
    // The catch-up answers first and the same announcement is then pushed.
    expect(
      replay(9, [
        ["caught up", caughtUp([10], 1)],
        ["push", 10],
        ["push", 11],
      ]),
    ).toEqual({
      shown: [10, 11],
      unread: 2,
      lastSeen: 11,
    });
    // Already seen before the reconnect (another connection's catch-up got there first).
    expect(
      replay(11, [
        ["push", 11],
        ["caught up", caughtUp([10, 11], 0)],
      ]),
    ).toEqual({
      shown: [],
      unread: 0,
      lastSeen: 11,
    });
  });

  it("puts out-of-order ids in id order, each once", () => {
    expect(
      replay(9, [
        ["push", 14],
        ["push", 13],
        ["push", 14],
        ["caught up", caughtUp([12, 10, 11], 3)],
      ]),
    ).toEqual({ shown: [10, 11, 12, 13, 14], unread: 5, lastSeen: 14 });
    expect(ids(unseen(11, [13, 10, 12, 13, 11].map(announcement)))).toEqual([12, 13]);
  });

  it("releases the held pushes when the catch-up fails, counting on from what it had", () => {
    expect(mergeCatchUp(9, null, [announcement(12), announcement(11), announcement(12)])).toEqual({
      fresh: [announcement(11), announcement(12)],
    });
    expect(
      replay(9, [
        ["push", 11],
        ["caught up", null],
        ["push", 12],
      ]),
    ).toEqual({
      shown: [11, 12],
      unread: 2,
      lastSeen: 12,
    });
  });

  it("keeps the first copy of a duplicated id and never lists what was already seen", () => {
    const first = { id: 12, title: "Pushed" };
    const { fresh } = mergeCatchUp(10, caughtUp([9, 10, 12], 1), [first]);
    expect(fresh).toEqual([announcement(12)]);
    expect(unseen(10, [first, announcement(12)])).toEqual([first]);
  });

  it("holds each connection's pushes until its own catch-up answers", () => {
    let lastSeen = 9;
    const shown: number[] = [];
    const arrived = (fresh: Announcement[]) => {
      if (fresh.length === 0) return;
      lastSeen = fresh.at(-1)!.id;
      shown.push(...ids(fresh));
    };
    // A connection drops with its catch-up in flight; the next one gets a push at once.
    const dropped = catchUpGate(() => lastSeen, arrived);
    const current = catchUpGate(() => lastSeen, arrived);
    current.pushed(announcement(12));
    dropped.caughtUp(caughtUp([10], 1));
    expect(shown, "the late catch-up of the dropped connection does not release 12").toEqual([10]);
    current.caughtUp(caughtUp([10, 11, 12], 3));
    expect(shown).toEqual([10, 11, 12]);
  });
});
