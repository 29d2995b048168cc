import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import type { CohortClock } from "../../worker/durable-objects/cohort-clock.ts";
import { cohortClock } from "../../worker/live/broadcast.ts";
import { LIVE_USER_HEADER, type ScheduleEvent } from "../../worker/live/protocol.ts";
import { createAccount, login } from "./accounts.ts";
import { createCohort, enrollInCohort, liveRequest, openLive, userId } from "./live-fixtures.ts";

const cookies = { student: "", other: "", admin: "" };
const cohorts = { batch4: 0, batch5: 0 };

const schedule = (cohortId: number, events: ScheduleEvent[]) => ({ cohortId, events });

describe("the cohort clock: schedule and alarms", () => {
  it("applies a due release exactly once, even when the alarm runs again", async () => {
    const clock = cohortClock(env, 901);
    const past = Date.now() - 1000;
    const later = Date.now() + 3_600_000;
    const state = await clock.sync(
      schedule(901, [
        { key: "release:module:1", at: past, kind: "release", label: "Linux Foundations" },
        { key: "phase:finished", at: later, kind: "phase", label: "finished" },
      ]),
    );
    // Already due: armed for now (the runtime moves past instants to the present).
    expect(state.alarmAt).not.toBeNull();
    expect(state.alarmAt!).toBeLessThan(later);

    // A socket on the clock counts what it is told.
    const response = await clock.fetch("https://cohort-clock/connect", {
      headers: { upgrade: "websocket", [LIVE_USER_HEADER]: "user-1" },
    });
    const ws = response.webSocket!;
    ws.accept();
    const received: Array<{ type: string; event?: ScheduleEvent }> = [];
    ws.addEventListener("message", (event) => {
      received.push(JSON.parse(event.data as string));
    });

    expect(await runDurableObjectAlarm(clock)).toBe(true);
    // A retried alarm (at-least-once delivery) runs the handler again: it must find nothing due.
    await runInDurableObject(clock, async (instance: CohortClock) => {
      await instance.alarm();
      await instance.alarm();
    });
    await new Promise((resolve) => setTimeout(resolve, 50));

    const after = await clock.state();
    expect(after.events.find((event) => event.key === "release:module:1")!.appliedAt).not.toBeNull();
    expect(after.events.find((event) => event.key === "phase:finished")!.appliedAt).toBeNull();
    // Re-armed for the next pending event.
    expect(after.alarmAt).toBe(later);
    const releases = received.filter((message) => message.type === "schedule");
    expect(releases).toHaveLength(1);
    expect(releases[0]!.event).toMatchObject({ key: "release:module:1", kind: "release" });
    ws.close();
  });

  it("keeps its schedule across eviction, and a re-sync does not re-apply what was applied", async () => {
    const clock = cohortClock(env, 902);
    const past = Date.now() - 1000;
    await clock.sync(schedule(902, [{ key: "phase:running", at: past, kind: "phase", label: "running" }]));
    expect(await runDurableObjectAlarm(clock)).toBe(true);

    await evictDurableObject(clock);
    const state = await clock.state();
    expect(state.cohortId).toBe(902);
    expect(state.events).toEqual([
      { key: "phase:running", at: past, kind: "phase", label: "running", appliedAt: expect.any(Number) },
    ]);

    // The same schedule again (the Worker re-syncs on every change): nothing pending, no alarm.
    const again = await clock.sync(
      schedule(902, [{ key: "phase:running", at: past, kind: "phase", label: "running" }]),
    );
    expect(again.events[0]!.appliedAt).toBe(state.events[0]!.appliedAt);
    expect(again.alarmAt).toBeNull();

    // Shifted into the future (the admin moved the cohort): pending again, alarm armed.
    const shifted = Date.now() + 86_400_000;
    const moved = await clock.sync(
      schedule(902, [{ key: "phase:running", at: shifted, kind: "phase", label: "running" }]),
    );
    expect(moved.events[0]!.appliedAt).toBeNull();
    expect(moved.alarmAt).toBe(shifted);

    // Events dropped from the schedule are forgotten.
    const emptied = await clock.sync(schedule(902, []));
    expect(emptied.events).toEqual([]);
    expect(emptied.alarmAt).toBeNull();
  });

  it("refuses a schedule that is malformed or meant for another cohort", async () => {
    const clock = cohortClock(env, 903);
    await clock.sync(schedule(903, []));
    // (Errors caught with .then: an RPC rejection handed to expect().rejects is also reported as unhandled.)
    const refusal = (input: unknown) =>
      clock.sync(input).then(
        () => null,
        (error: unknown) => String(error),
      );
    expect(await refusal(schedule(904, []))).toMatch(/belongs to cohort 903/);
    expect(await refusal({ cohortId: 903, events: [{ key: "x", at: "soon", kind: "release", label: "" }] })).toMatch(
      /expected number/,
    );
    expect((await clock.state()).cohortId).toBe(903);
  });
});

describe("the cohort clock: live sockets", () => {
  beforeAll(async () => {
    cohorts.batch4 = await createCohort("Batch 4");
    cohorts.batch5 = await createCohort("Batch 5");
    await createAccount("clock.student@example.com", "in batch four");
    await createAccount("clock.other@example.com", "in batch five");
    await createAccount("clock.admin@example.com", "runs the clock", "admin");
    await enrollInCohort("clock.student@example.com", cohorts.batch4);
    await enrollInCohort("clock.other@example.com", cohorts.batch5);
    cookies.student = await login("clock.student@example.com", "in batch four");
    cookies.other = await login("clock.other@example.com", "in batch five");
    cookies.admin = await login("clock.admin@example.com", "runs the clock");
  });

  it("connects a member to their own cohort's clock, under their own id whatever header they send", async () => {
    const socket = await openLive(cookies.student, { [LIVE_USER_HEADER]: "someone-else" });
    const state = await cohortClock(env, cohorts.batch4).state();
    expect(state.sockets).toEqual([{ userId: await userId("clock.student@example.com") }]);
    expect((await cohortClock(env, cohorts.batch5).state()).sockets).toEqual([]);
    socket.ws.close();
  });

  it("refuses upgrades without a session, from another site, or straight to the object without the Worker's header", async () => {
    expect((await liveRequest({})).status).toBe(401);
    const forged = await liveRequest({ [LIVE_USER_HEADER]: await userId("clock.student@example.com") });
    expect(forged.status).toBe(401);
    expect(forged.webSocket).toBeNull();
    expect((await liveRequest({ cookie: cookies.student, origin: "https://evil.example" })).status).toBe(403);
    expect((await liveRequest({ cookie: cookies.student, origin: "" })).status).toBe(403);
    const plainGet = await liveRequest({ cookie: cookies.student, upgrade: "" });
    expect(plainGet.status).toBe(400);

    const direct = await cohortClock(env, cohorts.batch4).fetch("https://cohort-clock/connect", {
      headers: { upgrade: "websocket" },
    });
    expect(direct.status).toBe(403);
  });

  it("delivers a broadcast to the cohort's sockets only", async () => {
    const student = await openLive(cookies.student);
    const other = await openLive(cookies.other);
    const message = { type: "announcement" as const, id: 1, title: "Hi", html: "<p>Hi</p>", cohortId: cohorts.batch4 };
    expect(await cohortClock(env, cohorts.batch4).broadcast(message)).toBe(1);
    expect(await student.next((m) => m.type === "announcement")).toEqual(message);
    // Their own clock may report its schedule (connecting synced it); nothing else may arrive.
    const otherGot = (await other.quietFor(100)) as Array<{ type: string }>;
    expect(otherGot.filter((m) => m.type !== "schedule")).toEqual([]);
    student.ws.close();
    other.ws.close();
  });

  it("still reaches a socket after the object was evicted with it hibernating", async () => {
    // Opened on the object directly: a socket relayed through the Worker's response keeps
    // the test's request open, which vitest's eviction waits for in vain.
    const clock = cohortClock(env, 905);
    const response = await clock.fetch("https://cohort-clock/connect", {
      headers: { upgrade: "websocket", [LIVE_USER_HEADER]: "user-905" },
    });
    const ws = response.webSocket!;
    ws.accept();
    const received: string[] = [];
    ws.addEventListener("message", (event) => {
      received.push(event.data as string);
    });

    await evictDurableObject(clock);
    // The attachment (who the socket belongs to) came back from hibernation.
    expect((await clock.state()).sockets).toEqual([{ userId: "user-905" }]);
    expect(await clock.broadcast({ type: "announcement", id: 2, title: "Back", html: "", cohortId: null })).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(received.map((data) => JSON.parse(data).title)).toEqual(["Back"]);
    ws.close();
  });

  it("answers ping with pong and invalid messages with an error, and keeps the socket open", async () => {
    const socket = await openLive(cookies.student);
    socket.ws.send(JSON.stringify({ type: "ping" }));
    await socket.next((m) => m.type === "pong");
    socket.ws.send(JSON.stringify({ type: "ping", extra: 1 }));
    socket.ws.send(JSON.stringify({ type: "hello", lastSeenId: 3 }));

    for (const bad of [
      "not json",
      JSON.stringify({ type: "hello", lastSeenId: -1 }),
      JSON.stringify({ type: "rm -rf" }),
      "x".repeat(5000),
    ]) {
      socket.messages.length = 0;
      socket.ws.send(bad);
      expect(await socket.next((m) => m.type === "error")).toMatchObject({
        type: "error",
        message: expect.any(String),
      });
    }
    socket.ws.send(new Uint8Array([1, 2, 3]));
    await socket.next((m) => m.type === "error");

    // Still open and still served.
    socket.messages.length = 0;
    socket.ws.send(JSON.stringify({ type: "ping" }));
    await socket.next((m) => m.type === "pong");
    expect(socket.closed).toBe(false);
    socket.ws.close();
  });

  it("connects admins to the clock for everyone", async () => {
    const socket = await openLive(cookies.admin);
    const state = await cohortClock(env, null).state();
    expect(state.sockets).toContainEqual({ userId: await userId("clock.admin@example.com") });
    socket.ws.close();
  });
});
