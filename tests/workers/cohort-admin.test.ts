import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { moduleReleaseAt } from "../../db/cohorts/release.ts";
import { createAccount, login, post } from "./accounts.ts";
import { request, seedDemoCurriculum } from "./helpers.ts";

// The admin's cohort pages: who may open them, and what their three forms do.

const DAY = 86_400;
const PASSWORD = "administers the cohorts";
const EMAILS = {
  admin: "cohorts.admin@example.com",
  student: "cohorts.student@example.com",
  first: "cohorts.first@example.com",
  second: "cohorts.second@example.com",
};
const cookies = { admin: "", student: "" };
const TIMEZONE = "Asia/Bishkek";
const PAGE = "/admin/cohorts/admin-batch";

/** How the admin pages write a cohort date: in the cohort's timezone. */
const shown = (date: Date) =>
  new Intl.DateTimeFormat("en-GB", {
    timeZone: TIMEZONE,
    day: "numeric",
    month: "short",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).format(date);

const cohortRow = () =>
  env.DB.prepare("select id, starts_at, ends_at from cohorts where slug = 'admin-batch'").first<{
    id: number;
    starts_at: number;
    ends_at: number;
  }>();

const dockerSchedule = () =>
  env.DB.prepare("select release_offset_days, release_time from modules where slug = 'docker'").first<{
    release_offset_days: number;
    release_time: string | null;
  }>();

async function dockerOpensAt() {
  const [cohort, module] = [await cohortRow(), await dockerSchedule()];
  return moduleReleaseAt(
    { timezone: TIMEZONE, startsAt: new Date(cohort!.starts_at * 1000) },
    { releaseOffsetDays: module!.release_offset_days, releaseTime: module!.release_time },
  );
}

/** The Docker row of the schedule on the cohort's admin page. */
async function dockerRow() {
  const html = await (await request(PAGE, { headers: { cookie: cookies.admin } })).text();
  return /Docker and Containers<\/th>.*?<\/tr>/s.exec(html)?.[0] ?? "";
}

const seats = () =>
  env.DB.prepare(
    "select count(*) as n from enrollments where cohort_id = (select id from cohorts where slug = 'admin-batch')",
  ).first<number>("n");

const overrides = () => env.DB.prepare("select count(*) as n from module_release_overrides").first<number>("n");

beforeAll(async () => {
  await seedDemoCurriculum();
  const now = Math.floor(Date.now() / 1000);
  await env.DB.prepare(
    `insert into cohorts (slug, name, course_title, timezone, starts_at, ends_at, enrollment_opens_at,
       enrollment_closes_at, capacity, price_cents)
     values ('admin-batch', 'Admin Batch', 'DevOps Engineering', ?, ?, ?, ?, ?, 1, 49000)`,
  )
    .bind(TIMEZONE, now + 30 * DAY, now + 120 * DAY, now - DAY, now + 30 * DAY)
    .run();
  await createAccount(EMAILS.admin, PASSWORD, "admin");
  for (const email of [EMAILS.student, EMAILS.first, EMAILS.second]) await createAccount(email, PASSWORD);
  cookies.admin = await login(EMAILS.admin, PASSWORD);
  cookies.student = await login(EMAILS.student, PASSWORD);
});

describe("who may open the cohort pages", () => {
  it("answers 404 to students and visitors, for pages and forms alike", async () => {
    for (const path of ["/admin/cohorts", PAGE]) {
      expect((await request(path)).status).toBe(404);
      expect((await request(path, { headers: { cookie: cookies.student } })).status).toBe(404);
    }
    const shift = await post(PAGE, { intent: "shift", days: "7" }, { cookie: cookies.student });
    expect(shift.status).toBe(404);
    expect((await post(PAGE, { intent: "shift", days: "7" })).status).toBe(404);
    const release = await post(
      PAGE,
      { intent: "release", email: EMAILS.student, module: "docker" },
      { cookie: cookies.student },
    );
    expect(release.status).toBe(404);
    expect(await overrides()).toBe(0);
  });

  it("lists every cohort for admins with its phase, dates in its timezone and seats", async () => {
    const html = await (await request("/admin/cohorts", { headers: { cookie: cookies.admin } })).text();
    const row = (await cohortRow())!;
    expect(html).toContain('href="/admin/cohorts/admin-batch"');
    expect(html).toContain("enrolling");
    expect(html).toContain(shown(new Date(row.starts_at * 1000)));
    expect(html).toContain("0<!-- --> / <!-- -->1");
    const overview = await (await request("/admin", { headers: { cookie: cookies.admin } })).text();
    expect(overview).toContain('href="/admin/cohorts"');
  });
});

describe("shifting a cohort's dates", () => {
  it("moves the dates by whole days and shows the moved schedule", async () => {
    const before = (await cohortRow())!;
    const opensBefore = await dockerOpensAt();
    expect(await dockerRow()).toContain(shown(opensBefore));

    const response = await post(PAGE, { intent: "shift", days: "7" }, { cookie: cookies.admin });
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toMatch(/^\/admin\/cohorts\/admin-batch\?shifted=7/);
    const after = (await cohortRow())!;
    expect(after.starts_at - before.starts_at).toBe(7 * DAY);
    expect(after.ends_at - before.ends_at).toBe(7 * DAY);

    const opensAfter = await dockerOpensAt();
    expect(opensAfter.getTime() - opensBefore.getTime()).toBe(7 * DAY * 1000);
    const moved = await dockerRow();
    expect(moved).toContain(shown(opensAfter));
    expect(moved).toContain(`dateTime="${opensAfter.toISOString()}"`);
  });

  it("refuses a shift that is not a whole number of days within a year, keeping what was typed", async () => {
    const before = (await cohortRow())!;
    for (const days of ["400", "1.5", "soon", "0"]) {
      const response = await post(PAGE, { intent: "shift", days }, { cookie: cookies.admin });
      expect(response.status, days).toBe(400);
      const html = await response.text();
      expect(html).toContain('id="shift-days-error"');
      expect(html).toContain(`value="${days}"`);
    }
    expect((await cohortRow())!.starts_at).toBe(before.starts_at);
  });
});

describe("enrolling a student by email", () => {
  it("takes a seat, never past capacity, and explains every refusal", async () => {
    const first = await post(PAGE, { intent: "enrol", email: EMAILS.first }, { cookie: cookies.admin });
    expect(first.status).toBe(302);
    const roster = await (await request(PAGE, { headers: { cookie: cookies.admin } })).text();
    expect(roster).toContain(EMAILS.first);

    const again = await post(PAGE, { intent: "enrol", email: EMAILS.first }, { cookie: cookies.admin });
    expect(again.status).toBe(400);
    expect(await again.text()).toContain("already has a seat in this cohort");

    const full = await post(PAGE, { intent: "enrol", email: EMAILS.second }, { cookie: cookies.admin });
    expect(full.status).toBe(409);
    const fullHtml = await full.text();
    expect(fullHtml).toContain("This cohort is full");
    expect(fullHtml).toContain(`value="${EMAILS.second}"`);

    const unknown = await post(PAGE, { intent: "enrol", email: "nobody@example.com" }, { cookie: cookies.admin });
    expect(unknown.status).toBe(400);
    const unknownHtml = await unknown.text();
    expect(unknownHtml).toContain('id="enrol-email-error"');
    expect(unknownHtml).toContain("No account uses this email address");
    expect(unknownHtml).toContain('value="nobody@example.com"');

    expect(await seats()).toBe(1);
  });
});

describe("releasing a module early for a student", () => {
  it("names the wrong field and writes nothing for an unknown email, a non-member or an unknown module", async () => {
    const cases = [
      { email: "nobody@example.com", module: "docker", field: "release-email-error" },
      { email: EMAILS.second, module: "docker", field: "release-email-error" },
      { email: EMAILS.first, module: "no-such-module", field: "release-module-error" },
      { email: "not an email", module: "docker", field: "release-email-error" },
      { email: EMAILS.first, module: "", field: "release-module-error" },
    ];
    for (const { email, module, field } of cases) {
      const response = await post(PAGE, { intent: "release", email, module }, { cookie: cookies.admin });
      expect(response.status, `${email} ${module}`).toBe(400);
      const html = await response.text();
      expect(html, `${email} ${module}`).toContain(`id="${field}"`);
      expect(html).toContain(`value="${email}"`);
    }
    expect(await overrides()).toBe(0);
  });

  it("opens the module now for a member, recorded as the admin's", async () => {
    const response = await post(
      PAGE,
      { intent: "release", email: EMAILS.first, module: "docker" },
      { cookie: cookies.admin },
    );
    expect(response.status).toBe(302);
    const row = await env.DB.prepare(
      `select o.released_at, a.email as by from module_release_overrides o
       join users u on u.id = o.user_id join users a on a.id = o.created_by
       join modules m on m.id = o.module_id where u.email = ? and m.slug = 'docker'`,
    )
      .bind(EMAILS.first)
      .first<{ released_at: number; by: string }>();
    expect(row?.by).toBe(EMAILS.admin);
    expect(Math.abs(row!.released_at - Date.now() / 1000)).toBeLessThan(60);
    const page = await (await request(PAGE, { headers: { cookie: cookies.admin } })).text();
    expect(page).toContain("Docker and Containers</span> for");
  });
});
