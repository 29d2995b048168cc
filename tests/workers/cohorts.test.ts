import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { enrollInCohort, enrollStudentByAdmin, getNextCohort, shiftCohortDates } from "../../db/queries/cohorts.ts";
import { searchLectures } from "../../db/queries/search.ts";
import { upsertDemoCohorts } from "../../db/seed/cohorts.ts";
import { upsertUserStatements } from "../../db/seed/user-statements.ts";
import type { CurrentUser } from "../../worker/auth/context.ts";
import { createAccount, login } from "./accounts.ts";
import { request, seedDemoCurriculum, testDatabase } from "./helpers.ts";

const DAY = 86_400;
const nowSeconds = () => Math.floor(Date.now() / 1000);
const LOCKED = "/modules/docker/writing-good-dockerfiles";
const LOCKED_API = "/api/modules/docker/lectures/writing-good-dockerfiles";
const LOCKED_VIDEO = "/media/docker/writing-good-dockerfiles/video";
const PREVIEW = "/modules/docker/containers-from-first-principles";
const RELEASED = "/modules/linux/users-groups-and-permissions";
const cookies = { cohort: "", admin: "" };
let admin: CurrentUser;
let cohortStudent: CurrentUser;
let lockedBodyText = "";

/** A cohort with its dates given in seconds relative to now. */
async function insertCohort(
  slug: string,
  dates: { opens: number; closes: number; starts: number; ends: number },
  capacity = 10,
) {
  const now = nowSeconds();
  await env.DB.prepare(
    `insert into cohorts (slug, name, course_title, timezone, starts_at, ends_at, enrollment_opens_at,
       enrollment_closes_at, capacity, price_cents)
     values (?, ?, 'DevOps Engineering', 'Asia/Bishkek', ?, ?, ?, ?, ?, 49000)`,
  )
    .bind(slug, slug, now + dates.starts, now + dates.ends, now + dates.opens, now + dates.closes, capacity)
    .run();
}

/** Students created straight in D1 (no password hashing: they never log in). */
async function insertStudents(prefix: string, count: number): Promise<CurrentUser[]> {
  const students = Array.from({ length: count }, (_, index) => ({
    id: `${prefix}-${index}`,
    name: `Student ${index}`,
    email: `${prefix}-${index}@example.com`,
    role: "student" as const,
    emailVerified: true,
  }));
  const statements = students.flatMap((student) =>
    upsertUserStatements({ ...student, accountId: `${student.id}-account`, passwordHash: "unused" }),
  );
  await env.DB.batch(statements.map((statement) => env.DB.prepare(statement)));
  return students;
}

async function userByEmail(email: string): Promise<CurrentUser> {
  const row = await env.DB.prepare("select id, name, email, role from users where email = ?")
    .bind(email)
    .first<{ id: string; name: string; email: string; role: "admin" | "student" }>();
  return { ...row!, emailVerified: true };
}

beforeAll(async () => {
  await seedDemoCurriculum();
  await upsertDemoCohorts(testDatabase());
  await createAccount("head@example.com", "runs the whole school", "admin");
  await createAccount("drip@example.com", "studies with batch three");
  admin = await userByEmail("head@example.com");
  cohortStudent = await userByEmail("drip@example.com");
  const enrolled = await enrollStudentByAdmin(testDatabase(), admin, "drip@example.com", "batch-3");
  expect(enrolled.ok).toBe(true);
  cookies.cohort = await login("drip@example.com", "studies with batch three");
  cookies.admin = await login("head@example.com", "runs the whole school");
  const row = await env.DB.prepare("select body_text from lectures where slug = 'writing-good-dockerfiles'").first<{
    body_text: string;
  }>();
  lockedBodyText = row!.body_text
    .split("\n")
    .find((line) => line.length > 60)!
    .slice(0, 50);
  const key = "lectures/docker/writing-good-dockerfiles/video.webm";
  await env.LECTURE_ASSETS.put(key, new Uint8Array([1, 2, 3]), { httpMetadata: { contentType: "video/webm" } });
  await env.DB.prepare("update lectures set video_asset_key = ? where slug = 'writing-good-dockerfiles'")
    .bind(key)
    .run();
});

describe("enrolling in a cohort", () => {
  it("never gives away more seats than the cohort has, under 50 concurrent requests", async () => {
    await insertCohort("crowded", { opens: -DAY, closes: 200 * DAY, starts: 200 * DAY, ends: 300 * DAY }, 10);
    const students = await insertStudents("crowd", 50);
    const results = await Promise.all(
      students.map((student) => enrollInCohort(testDatabase(), student, "crowded", new Date())),
    );
    expect(results.filter((result) => result.ok)).toHaveLength(10);
    expect(new Set(results.filter((result) => !result.ok).map((result) => !result.ok && result.reason))).toEqual(
      new Set(["full"]),
    );
    const seats = await env.DB.prepare(
      "select count(*) as n, min(status) as status, min(source) as source from enrollments where cohort_id = (select id from cohorts where slug = 'crowded')",
    ).first<{ n: number; status: string; source: string }>();
    expect(seats).toEqual({ n: 10, status: "pending", source: "cohort" });
  });

  it("refuses outside the enrolment window, twice for one student, and for no such cohort", async () => {
    await insertCohort("closed-window", { opens: -20 * DAY, closes: -DAY, starts: 210 * DAY, ends: 300 * DAY });
    await insertCohort("open-window", { opens: -DAY, closes: 210 * DAY, starts: 220 * DAY, ends: 300 * DAY });
    const [student] = await insertStudents("window", 1);
    const db = testDatabase();
    expect(await enrollInCohort(db, student!, "closed-window")).toEqual({ ok: false, reason: "closed" });
    expect((await enrollInCohort(db, student!, "open-window")).ok).toBe(true);
    expect(await enrollInCohort(db, student!, "open-window")).toEqual({ ok: false, reason: "already_enrolled" });
    expect(await enrollInCohort(db, student!, "no-such-batch")).toEqual({ ok: false, reason: "no_such_cohort" });
  });

  it("lets an admin add a student outside the window with an active seat, never past capacity", async () => {
    await insertCohort("tiny", { opens: -20 * DAY, closes: -DAY, starts: -DAY, ends: 90 * DAY }, 1);
    const [first, second] = await insertStudents("tiny", 2);
    const db = testDatabase();
    expect(await enrollStudentByAdmin(db, cohortStudent, first!.email, "tiny")).toEqual({
      ok: false,
      reason: "not_admin",
    });
    expect((await enrollStudentByAdmin(db, admin, first!.email, "tiny")).ok).toBe(true);
    expect(await enrollStudentByAdmin(db, admin, second!.email, "tiny")).toEqual({ ok: false, reason: "full" });
    expect(await enrollStudentByAdmin(db, admin, "nobody@example.com", "tiny")).toEqual({
      ok: false,
      reason: "no_such_user",
    });
    const status = await env.DB.prepare("select status from enrollments where user_id = ?")
      .bind(first!.id)
      .first<string>("status");
    expect(status).toBe("active");
  });

  it("shifts start, end and the enrolment window by whole days in one action", async () => {
    await insertCohort("movable", { opens: 100 * DAY, closes: 230 * DAY, starts: 230 * DAY, ends: 300 * DAY });
    const read = () =>
      env.DB.prepare(
        "select starts_at, ends_at, enrollment_opens_at, enrollment_closes_at from cohorts where slug = 'movable'",
      ).first<Record<string, number>>();
    const before = (await read())!;
    expect(await shiftCohortDates(testDatabase(), cohortStudent, "movable", 7)).toBe(false);
    expect(await shiftCohortDates(testDatabase(), admin, "movable", 7)).toBe(true);
    const after = (await read())!;
    for (const column of Object.keys(before)) expect(after[column]! - before[column]!).toBe(7 * DAY);
    expect(await shiftCohortDates(testDatabase(), admin, "movable", -3)).toBe(true);
    expect((await read())!.starts_at! - before.starts_at!).toBe(4 * DAY);
  });

  it("names the soonest cohort that has not started and the ones running", async () => {
    const { next, running } = await getNextCohort(testDatabase());
    expect(next?.name).toBe("Batch 4");
    expect(running.map((cohort) => cohort.name)).toContain("Batch 3");
  });
});

describe("the drip schedule", () => {
  it("shows an unreleased module's lecture outline and when it opens, never its body", async () => {
    const response = await request(LOCKED, { headers: { cookie: cookies.cohort } });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain("This lecture opens with its module");
    expect(html).toMatch(/Opens on <time dateTime="[^"]+">[^<]*09:00 \(Asia\/Bishkek\)<\/time>/);
    expect(html).not.toContain(lockedBodyText);
  });

  it("says on the module page when the module opens", async () => {
    const html = await (await request("/modules/docker", { headers: { cookie: cookies.cohort } })).text();
    expect(html).toContain("Opens on");
    expect(html).toContain("(Asia/Bishkek)");
  });

  it("opens released modules and free previews to the cohort student", async () => {
    for (const path of [RELEASED, PREVIEW]) {
      const html = await (await request(path, { headers: { cookie: cookies.cohort } })).text();
      expect(html).not.toContain("opens with its module");
      expect(html).not.toContain("for enrolled students");
    }
  });

  it("refuses the lecture API and the video with NOT_RELEASED", async () => {
    const api = await request(LOCKED_API, { headers: { cookie: cookies.cohort } });
    expect(api.status).toBe(403);
    expect(((await api.json()) as { error: { code: string } }).error.code).toBe("NOT_RELEASED");
    const video = await request(LOCKED_VIDEO, { headers: { cookie: cookies.cohort } });
    expect(video.status).toBe(403);
    expect(((await video.json()) as { error: { code: string } }).error.code).toBe("NOT_RELEASED");
  });

  it("keeps unreleased lectures out of search snippets", async () => {
    const word = lockedBodyText.split(/\s+/).find((term) => term.length > 6)!;
    const forCohort = await searchLectures(testDatabase(), word, cohortStudent);
    const forAdmin = await searchLectures(testDatabase(), word, admin);
    const hit = (hits: typeof forAdmin) => hits.find((entry) => entry.lectureSlug === "writing-good-dockerfiles");
    expect(hit(forAdmin)?.snippet.some((part) => part.match)).toBe(true);
    expect(hit(forCohort)).toBeDefined();
    expect(hit(forCohort)!.snippet.some((part) => part.match)).toBe(false);
  });

  it("lets an admin see everything", async () => {
    const page = await (await request(LOCKED, { headers: { cookie: cookies.admin } })).text();
    expect(page).toContain(lockedBodyText);
    expect((await request(LOCKED_API, { headers: { cookie: cookies.admin } })).status).toBe(200);
    expect((await request(LOCKED_VIDEO, { headers: { cookie: cookies.admin } })).status).toBe(200);
  });

  it("opens the module for one student once an admin override says so", async () => {
    await env.DB.prepare(
      `insert into module_release_overrides (user_id, module_id, released_at, created_by)
       values (?, (select id from modules where slug = 'docker'), ?, ?)`,
    )
      .bind(cohortStudent.id, nowSeconds() - 60, admin.id)
      .run();
    const page = await (await request(LOCKED, { headers: { cookie: cookies.cohort } })).text();
    expect(page).toContain(lockedBodyText);
    expect((await request(LOCKED_API, { headers: { cookie: cookies.cohort } })).status).toBe(200);
    expect((await request(LOCKED_VIDEO, { headers: { cookie: cookies.cohort } })).status).toBe(200);
  });

  it("shows the student's cohort day and the next module release on the dashboard", async () => {
    const html = await (await request("/dashboard", { headers: { cookie: cookies.cohort } })).text();
    expect(html).toContain("Batch 3 is running: day 21");
    expect(html).toMatch(/Terraform[^<]*<\/a> opens in (\d+ hours?|1 day)/);
  });
});

describe("the countdown", () => {
  it("is rendered on the landing page for the next cohort and a running one", async () => {
    const html = await (await request("/")).text();
    expect(html).toMatch(/Batch 4 starts in <span[^>]*>1[12] days \d\d:\d\d:\d\d<\/span>/);
    expect(html).toContain("Batch 3 is running: day 21");
    expect(html).toContain('aria-live="off"');
    expect(html).toMatch(/class="sr-only">Batch 4 starts on [^<]+10:00 \(Asia\/Bishkek\)\.</);
  });
});
