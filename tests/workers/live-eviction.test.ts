import { evictDurableObject, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { cohortClock } from "../../worker/live/broadcast.ts";
import { createAccount, login, post } from "./accounts.ts";
import { request } from "./helpers.ts";
import { enrollInCohort, liveRequest } from "./live-fixtures.ts";

// Announcements are written to D1 first and only then pushed, best effort, to the cohort's
// clock. The clock may be reset at any moment (a deploy, a crash, the runtime moving it):
// its sockets drop, and a client reconnects, says hello with the last id it saw and catches
// up through the API. Here the clock is reset twice while an admin is posting, and evicted
// once with its sockets hibernated; every member must still end with every announcement.

const PASSWORD = "listens for the news";
const RESET_REASON = "cohort clock reset by the test";
const WAIT = { timeout: 5_000, interval: 20 };
const DAY = 86_400;

type Announcement = { id: number; title: string };

/**
 * A member's client of the live protocol: on every connection it says hello, then fetches
 * what came after the last id it has. Pushes that arrive while that fetch is in flight are
 * held until it answers, so a newer push cannot hide what the fetch brings, and what the
 * member sees stays in id order.
 */
class Member {
  readonly name: string;
  readonly cookie: string;
  /** Ids in the order the member was shown them. */
  readonly seen: number[] = [];
  /** Per connection, the announcement ids pushed over it, in arrival order. */
  readonly pushed: number[][] = [];
  readonly errors: unknown[] = [];
  socket: WebSocket | null = null;
  closed = false;
  private held: number[] | null = null;
  private pongs = 0;

  constructor(name: string, cookie: string) {
    this.name = name;
    this.cookie = cookie;
  }

  get lastSeen() {
    return this.seen.at(-1) ?? 0;
  }

  async connect() {
    const response = await liveRequest({ cookie: this.cookie });
    expect(response.status, `${this.name} upgrades`).toBe(101);
    const ws = response.webSocket!;
    const pushed: number[] = [];
    this.pushed.push(pushed);
    this.held = [];
    this.closed = false;
    ws.accept();
    ws.addEventListener("message", (event) => {
      const message = JSON.parse(event.data as string) as { type: string; id?: number };
      if (message.type === "pong") this.pongs++;
      if (message.type === "error") this.errors.push(message);
      if (message.type !== "announcement") return;
      pushed.push(message.id!);
      if (this.held) this.held.push(message.id!);
      else this.show([message.id!]);
    });
    ws.addEventListener("close", () => {
      if (this.socket === ws) this.closed = true;
    });
    this.socket = ws;
    ws.send(JSON.stringify({ type: "hello", lastSeenId: this.lastSeen }));
    const after = this.lastSeen;
    const caughtUp = await request(`/api/announcements?after=${after}`, { headers: { cookie: this.cookie } });
    expect(caughtUp.status).toBe(200);
    const ids = ((await caughtUp.json()) as { announcements: Announcement[] }).announcements.map((a) => a.id);
    expect(ids, "catch-up is oldest first and only after the given id").toEqual(
      [...ids].filter((id) => id > after).sort((a, b) => a - b),
    );
    this.show(ids);
    const held = this.held;
    this.held = null;
    this.show(held);
  }

  async ping() {
    const before = this.pongs;
    this.socket!.send(JSON.stringify({ type: "ping" }));
    await expect.poll(() => this.pongs, WAIT).toBe(before + 1);
  }

  /** Anything at or below the last id shown was already shown (push and catch-up overlap). */
  private show(ids: number[]) {
    for (const id of ids) if (id > this.lastSeen) this.seen.push(id);
  }
}

let cohortId = 0;
let adminCookie = "";
const members: Member[] = [];
const posted: number[] = [];

const clock = () => cohortClock(env, cohortId);

/** Posts through the admin page as an admin does; returns the id and how many sockets it reached. */
async function announce(title: string, audience: "cohort" | "everyone" = "cohort") {
  const response = await post(
    "/admin/announcements",
    { title, body: `News: **${title}**.`, audience: audience === "cohort" ? String(cohortId) : "everyone" },
    { cookie: adminCookie },
  );
  expect(response.status, `posting ${title}`).toBe(302);
  const location = new URL(response.headers.get("location")!, "http://school.test");
  const id = Number(location.searchParams.get("posted"));
  posted.push(id);
  return { id, reached: Number(location.searchParams.get("reached")) };
}

/** The hard reset a crash or deploy causes: in-memory state and every socket gone. */
async function resetClock() {
  await expect(
    runInDurableObject(clock(), (_instance, state) => {
      state.abort(RESET_REASON);
    }),
  ).rejects.toThrow(RESET_REASON);
}

async function receivedByAll(id: number, who: Member[]) {
  for (const member of who) await expect.poll(() => member.seen.includes(id), WAIT).toBe(true);
}

beforeAll(async () => {
  // Every date ahead, so no alarm fires during the test and the clock's stored schedule
  // can be compared before and after a reset.
  const now = Math.floor(Date.now() / 1000);
  cohortId = (await env.DB.prepare(
    `insert into cohorts (slug, name, course_title, timezone, starts_at, ends_at, enrollment_opens_at,
       enrollment_closes_at, capacity, price_cents)
     values ('live-eviction', 'Batch live-eviction', 'DevOps Engineer', 'Asia/Bishkek', ?, ?, ?, ?, 20, 50000)
     returning id`,
  )
    .bind(now + 3 * DAY, now + 90 * DAY, now + DAY, now + 2 * DAY)
    .first<number>("id"))!;
  for (const name of ["steady", "busy", "twice", "away"]) {
    const email = `${name}.listener@example.com`;
    await createAccount(email, PASSWORD);
    await enrollInCohort(email, cohortId);
    members.push(new Member(name, await login(email, PASSWORD)));
  }
  await createAccount("live.admin@example.com", PASSWORD, "admin");
  adminCookie = await login("live.admin@example.com", PASSWORD);
}, 30_000);

describe("a cohort clock reset during broadcasts", () => {
  it("loses no announcement for any member, and keeps working after the reset", async () => {
    const [steady, busy, twice, away] = members as [Member, Member, Member, Member];
    for (const member of members) await member.connect();
    const schedule = await clock().state();
    expect(schedule.cohortId, "connecting synced the clock").toBe(cohortId);
    expect(schedule.sockets).toHaveLength(4);

    for (const title of ["Welcome", "Lab rules", "Office hours"]) {
      const { id, reached } = await announce(title);
      expect(reached).toBe(4);
      await receivedByAll(id, members);
    }

    // Reset while an announcement is being posted: it is stored either way, and pushed to
    // whoever is still connected when its broadcast lands (perhaps nobody).
    await Promise.all([announce("Mid-reset notice"), resetClock()]);
    for (const member of members) await expect.poll(() => member.closed, WAIT).toBe(true);

    // Nothing durable was lost with the object: its schedule and alarm are as they were.
    const afterReset = await clock().state();
    expect({ ...afterReset, sockets: [] }).toEqual({ ...schedule, sockets: [] });
    expect(afterReset.sockets).toEqual([]);

    // Posted while nobody is connected: nobody is reached, everything is stored.
    const unheard = [await announce("Everyone: maintenance window", "everyone"), await announce("Reading list")];
    expect(unheard.map((announcement) => announcement.reached)).toEqual([0, 0]);

    await steady.connect();
    await twice.connect();
    // Reconnecting while an announcement goes out: it may arrive pushed before the catch-up
    // answers, in the catch-up, or both.
    const [, racing] = await Promise.all([busy.connect(), announce("Posted during a reconnect")]);
    await receivedByAll(racing.id, [steady, twice, busy]);

    // An eviction that hibernates the sockets is invisible to members: no reconnect needed.
    await evictDurableObject(clock());
    const afterHibernation = await announce("After a quiet hour");
    expect(afterHibernation.reached).toBe(3);
    await receivedByAll(afterHibernation.id, [steady, twice, busy]);
    expect([steady, twice, busy].map((member) => member.closed)).toEqual([false, false, false]);

    // A second reset mid-post; this time the members come back.
    await Promise.all([announce("Second mid-reset notice"), resetClock()]);
    for (const member of [steady, busy, twice]) await expect.poll(() => member.closed, WAIT).toBe(true);
    for (const member of [steady, busy, twice]) await member.connect();
    for (const title of ["Project deadline", "Everyone: new module"]) {
      const { id, reached } = await announce(title, title.startsWith("Everyone") ? "everyone" : "cohort");
      expect(reached).toBe(3);
      await receivedByAll(id, [steady, busy, twice]);
    }

    // The member who was away the whole time catches up on all of it in one request.
    await away.connect();
    const last = await announce("Final reminder");
    expect(last.reached).toBe(4);
    await receivedByAll(last.id, members);

    // The object answers as before the resets: pings, and it knows its four listeners.
    for (const member of members) await member.ping();
    expect((await clock().state()).sockets).toHaveLength(4);

    expect(posted).toHaveLength(12);
    const everything = [...posted].sort((a, b) => a - b);
    for (const member of members) {
      expect(member.seen, `${member.name} saw every announcement once, in order`).toEqual(everything);
      for (const ids of member.pushed) {
        expect(ids, `${member.name}: pushed in order, never twice`).toEqual([...new Set(ids)].sort((a, b) => a - b));
      }
      expect(member.errors).toEqual([]);
    }
    // The resets really did cost pushes: some announcements reached members only by catch-up.
    for (const member of members) {
      for (const { id } of unheard) expect(member.pushed.flat()).not.toContain(id);
    }

    for (const member of members) member.socket!.close(1000, "Leaving");
  }, 60_000);
});
