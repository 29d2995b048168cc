import {
  createExecutionContext,
  createScheduledController,
  runDurableObjectAlarm,
  runInDurableObject,
  waitOnExecutionContext,
} from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { moduleReleaseAt } from "../../db/cohorts/release.ts";
import worker from "../../worker/index.ts";
import type { CohortClock } from "../../worker/durable-objects/cohort-clock.ts";
import { cohortClock } from "../../worker/live/broadcast.ts";
import { LIVE_USER_HEADER } from "../../worker/live/protocol.ts";
import { computeCohortSchedule, syncCohortClock } from "../../worker/live/schedule-sync.ts";
import { createAccount, login, post } from "./accounts.ts";
import { seedDemoCurriculum, testDatabase } from "./helpers.ts";
import { enrollInCohort, openLive } from "./live-fixtures.ts";

// The cohort clock end to end: its schedule computed from D1, the cron trigger, phase
// changes written back to D1, and discussion posts pushed to readers.

const DAY = 86_400;
const PREVIEW_DISCUSSION = "/modules/linux/the-shell-and-filesystem/discussion";
let cohortCount = 0;

/** A cohort with its dates given as unix seconds. */
async function cohortAt(dates: { opens: number; closes: number; starts: number; ends: number }, status = "upcoming") {
  cohortCount++;
  return (await env.DB.prepare(
    `insert into cohorts (slug, name, course_title, timezone, starts_at, ends_at, enrollment_opens_at,
       enrollment_closes_at, capacity, price_cents, status)
     values (?, ?, 'DevOps Engineer', 'Asia/Bishkek', ?, ?, ?, ?, 20, 50000, ?) returning id`,
  )
    .bind(`sync-${cohortCount}`, `Batch S${cohortCount}`, dates.starts, dates.ends, dates.opens, dates.closes, status)
    .first<number>("id"))!;
}

const statusOf = async (cohortId: number) =>
  (await env.DB.prepare("select status from cohorts where id = ?").bind(cohortId).first<string>("status"))!;

const nowSeconds = () => Math.floor(Date.now() / 1000);

beforeAll(async () => {
  await seedDemoCurriculum();
});

describe("syncing a cohort's clock from D1", () => {
  it("schedules one release per published module at the release maths' instant, and the phase changes", async () => {
    // Starts Monday 2031-03-03 at 10:00 in Bishkek (UTC+6) = 04:00 UTC.
    const starts = Date.UTC(2031, 2, 3, 4, 0) / 1000;
    const cohortId = await cohortAt({
      opens: starts - 30 * DAY,
      closes: starts - 2 * DAY,
      starts,
      ends: starts + 84 * DAY,
    });
    const modules = await env.DB.prepare("select id, title from modules where published = 1 order by position").all<{
      id: number;
      title: string;
    }>();
    const second = modules.results[1]!;
    await env.DB.prepare("update modules set release_offset_days = 7, release_time = '09:00' where id = ?")
      .bind(second.id)
      .run();

    const result = await syncCohortClock(env, testDatabase(), cohortId);
    expect(result).toMatchObject({ cohortId, synced: true });
    const state = await cohortClock(env, cohortId).state();
    expect(state.cohortId).toBe(cohortId);

    // A week after the start, at 09:00 Bishkek: 03:00 UTC.
    const release = state.events.find((event) => event.key === `release:module:${second.id}`)!;
    expect(new Date(release.at).toISOString()).toBe("2031-03-10T03:00:00.000Z");
    expect(release).toMatchObject({ kind: "release", label: second.title, appliedAt: null });
    expect(release.at).toBe(
      moduleReleaseAt(
        { timezone: "Asia/Bishkek", startsAt: new Date(starts * 1000) },
        {
          releaseOffsetDays: 7,
          releaseTime: "09:00",
        },
      ).getTime(),
    );
    expect(state.events.filter((event) => event.kind === "release")).toHaveLength(modules.results.length);
    expect(state.events.filter((event) => event.kind === "phase").map(({ key, at }) => [key, at / 1000])).toEqual([
      ["phase:enrolling", starts - 30 * DAY],
      ["phase:upcoming", starts - 2 * DAY],
      ["phase:running", starts],
      ["phase:finished", starts + 84 * DAY],
    ]);
    // Armed for the first thing that happens: enrolment opening.
    expect(state.alarmAt).toBe((starts - 30 * DAY) * 1000);

    // The same schedule again is a no-op on the cheap path; a change is not.
    expect(await syncCohortClock(env, testDatabase(), cohortId, { onlyIfChanged: true })).toMatchObject({
      synced: false,
    });
    await env.DB.prepare("update modules set release_time = '10:30' where id = ?").bind(second.id).run();
    expect(await syncCohortClock(env, testDatabase(), cohortId, { onlyIfChanged: true })).toMatchObject({
      synced: true,
    });
    const moved = (await cohortClock(env, cohortId).state()).events.find((event) => event.key === release.key)!;
    expect(new Date(moved.at).toISOString()).toBe("2031-03-10T04:30:00.000Z");
    await env.DB.prepare("update modules set release_offset_days = 0, release_time = null where id = ?")
      .bind(second.id)
      .run();
  });

  it("leaves out a phase boundary that does not begin that phase", async () => {
    const starts = nowSeconds() + 10 * DAY;
    // Enrolment stays open past the start: no "upcoming" gap before it.
    const source = {
      cohort: {
        id: 1,
        timezone: "Europe/Berlin",
        startsAt: new Date(starts * 1000),
        endsAt: new Date((starts + 50 * DAY) * 1000),
        enrollmentOpensAt: new Date((starts - 5 * DAY) * 1000),
        enrollmentClosesAt: new Date((starts + 3 * DAY) * 1000),
      },
      modules: [],
    };
    expect(computeCohortSchedule(source).events.map((event) => event.key)).toEqual([
      "phase:enrolling",
      "phase:running",
      "phase:finished",
    ]);
  });

  it("syncs every cohort that is not finished from the cron trigger", async () => {
    const now = nowSeconds();
    const future = await cohortAt({ opens: now - DAY, closes: now + DAY, starts: now + 5 * DAY, ends: now + 90 * DAY });
    const over = await cohortAt(
      { opens: now - 200 * DAY, closes: now - 150 * DAY, starts: now - 140 * DAY, ends: now - 50 * DAY },
      "finished",
    );
    const controller = createScheduledController({ scheduledTime: new Date(), cron: "*/10 * * * *" });
    const ctx = createExecutionContext();
    worker.scheduled(controller, env, ctx);
    await waitOnExecutionContext(ctx);

    const synced = await cohortClock(env, future).state();
    expect(synced.cohortId).toBe(future);
    expect(synced.events.map((event) => event.key)).toContain("phase:running");
    expect((await cohortClock(env, over).state()).cohortId).toBeNull();
  });
});

describe("phase changes", () => {
  it("set the cohort's status in D1 once, and apply each event once, under repeated alarms", async () => {
    const now = nowSeconds();
    const cohortId = await cohortAt({
      opens: now - 20 * DAY,
      closes: now + 5 * DAY,
      starts: now - DAY,
      ends: now + 80 * DAY,
    });
    const clock = cohortClock(env, cohortId);
    const response = await clock.fetch("https://cohort-clock/connect", {
      headers: { upgrade: "websocket", [LIVE_USER_HEADER]: "phase-watcher" },
    });
    const ws = response.webSocket!;
    ws.accept();
    const received: Array<{ type: string; event?: { key: string } }> = [];
    ws.addEventListener("message", (event) => {
      received.push(JSON.parse(event.data as string));
    });

    await syncCohortClock(env, testDatabase(), cohortId);
    expect(await statusOf(cohortId)).toBe("upcoming");
    expect(await runDurableObjectAlarm(clock)).toBe(true);
    expect(await statusOf(cohortId)).toBe("running");
    const applied = (await clock.state()).events.filter((event) => event.appliedAt !== null);
    expect(applied.map((event) => event.key)).toContain("phase:running");

    // Someone changes the status by hand; repeated alarms must not apply the phase again.
    await env.DB.prepare("update cohorts set status = 'enrolling' where id = ?").bind(cohortId).run();
    await runInDurableObject(clock, async (instance: CohortClock) => {
      await instance.alarm();
      await instance.alarm();
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await statusOf(cohortId)).toBe("enrolling");
    const after = (await clock.state()).events.filter((event) => event.appliedAt !== null);
    expect(after).toEqual(applied);
    const phases = received.filter((message) => message.type === "schedule" && message.event!.key.startsWith("phase:"));
    expect(phases.map((message) => message.event!.key)).toEqual(["phase:enrolling", "phase:running"]);
    ws.close();
  });

  it("puts the status back when the cohort's dates move its current phase into the future", async () => {
    const now = nowSeconds();
    const cohortId = await cohortAt({
      opens: now - 20 * DAY,
      closes: now + 5 * DAY,
      starts: now - DAY,
      ends: now + 80 * DAY,
    });
    await syncCohortClock(env, testDatabase(), cohortId);
    await runDurableObjectAlarm(cohortClock(env, cohortId));
    expect(await statusOf(cohortId)).toBe("running");

    await env.DB.prepare(
      "update cohorts set starts_at = starts_at + ?, ends_at = ends_at + ?, enrollment_closes_at = enrollment_closes_at + ? where id = ?",
    )
      .bind(10 * DAY, 10 * DAY, 10 * DAY, cohortId)
      .run();
    await syncCohortClock(env, testDatabase(), cohortId);
    expect(await statusOf(cohortId)).toBe("enrolling");
    const running = (await cohortClock(env, cohortId).state()).events.find((event) => event.key === "phase:running")!;
    expect(running.appliedAt).toBeNull();
  });
});

describe("live discussions", () => {
  it("pushes a new post to connected readers as a discussion message", async () => {
    const now = nowSeconds();
    const cohortId = await cohortAt({
      opens: now - 20 * DAY,
      closes: now + 5 * DAY,
      starts: now - DAY,
      ends: now + 80 * DAY,
    });
    await createAccount("reader@example.com", "reads the thread");
    await createAccount("poster@example.com", "writes the thread", "admin");
    await enrollInCohort("reader@example.com", cohortId);
    const reader = await openLive(await login("reader@example.com", "reads the thread"));
    // Connecting synced the member's clock on the way.
    expect((await cohortClock(env, cohortId).state()).cohortId).toBe(cohortId);

    const response = await post(
      PREVIEW_DISCUSSION,
      { intent: "post", body: "Is `ls -la` the same as `ls -al`?" },
      { cookie: await login("poster@example.com", "writes the thread") },
    );
    expect(response.status).toBe(302);
    const postId = Number(response.headers.get("location")!.match(/#post-(\d+)$/)![1]);
    const lectureId = await env.DB.prepare(
      "select id from lectures where slug = 'the-shell-and-filesystem'",
    ).first<number>("id");
    expect(await reader.next((message) => message.type === "discussion")).toEqual({
      type: "discussion",
      lectureId,
      postId,
    });
    reader.ws.close();
  });
});
