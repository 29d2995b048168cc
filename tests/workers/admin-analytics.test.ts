import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { getAdminOverview } from "../../db/queries/admin.ts";
import { recordLectureView } from "../../db/queries/lecture-views.ts";
import type { CurrentUser } from "../../worker/auth/context.ts";
import { createAccount, login } from "./accounts.ts";
import { request, serverTiming, testDatabase } from "./helpers.ts";

// The admin overview's numbers against a small school whose every row is placed by hand,
// the lecture views that feed its funnel, and the audit log page.

const DAY = 86_400;
const WEEK = 7 * DAY;
const NOW = new Date();
const T = Math.floor(NOW.getTime() / 1000);
/** Monday 00:00 UTC of this week, worked out here rather than taken from the code under test. */
const W =
  Date.UTC(NOW.getUTCFullYear(), NOW.getUTCMonth(), NOW.getUTCDate()) / 1000 - ((NOW.getUTCDay() + 6) % 7) * DAY;

const PASSWORD = "counts every student";
const EMAILS = {
  admin: "analytics.admin@example.com",
  student: "analytics.student@example.com",
  viewer: "analytics.viewer@example.com",
};
const cookies = { admin: "", student: "", viewer: "" };
const STUDENTS = ["s1", "s2", "s3", "s4", "s5", "s6", "s7"] as const;
let admin: CurrentUser;
let adminId = "";

const lectureId = async (slug: string) =>
  (await env.DB.prepare("select id from lectures where slug = ?").bind(slug).first<number>("id"))!;

/** A SQL statement and its parameters. */
type Statement = [string, ...unknown[]];

function sqlBatch(statements: Statement[]) {
  return env.DB.batch(statements.map(([query, ...values]) => env.DB.prepare(query).bind(...values)));
}

beforeAll(async () => {
  await createAccount(EMAILS.admin, PASSWORD, "admin", "Ada Admin");
  await createAccount(EMAILS.student, PASSWORD);
  await createAccount(EMAILS.viewer, PASSWORD);
  adminId = (await env.DB.prepare("select id from users where email = ?").bind(EMAILS.admin).first<string>("id"))!;
  admin = { id: adminId, name: "Ada Admin", email: EMAILS.admin, role: "admin", emailVerified: true };

  const lecture = (module: string, slug: string, position: number, published: number, freePreview = 0): Statement => [
    `insert into lectures (module_id, slug, title, summary, body_markdown, body_html, body_text, duration_minutes,
       position, published, free_preview)
     select id, ?, ?, 'A lecture.', 'Body', '<p>Body</p>', 'Body', 5, ?, ?, ? from modules where slug = ?`,
    slug,
    slug.toUpperCase(),
    position,
    published,
    freePreview,
    module,
  ];
  const quiz = (module: string): Statement => [
    "insert into quizzes (module_id, title, pass_percent) select id, 'Quiz', 70 from modules where slug = ?",
    module,
  ];
  await sqlBatch([
    ...STUDENTS.map((id): Statement => [
      "insert into users (id, name, email, email_verified, role) values (?, ?, ?, 1, 'student')",
      id,
      `Student ${id}`,
      `${id}@example.com`,
    ]),
    // Published: alpha, beta, delta (a quiz nobody tried), epsilon (no published lecture). Gamma is a draft.
    ...(
      [
        ["alpha", 1, 1],
        ["beta", 2, 1],
        ["gamma", 3, 0],
        ["delta", 4, 1],
        ["epsilon", 5, 1],
      ] as const
    ).map(([slug, position, published]): Statement => [
      "insert into modules (slug, title, summary, position, published) values (?, ?, 'A module.', ?, ?)",
      slug,
      slug[0]!.toUpperCase() + slug.slice(1),
      position,
      published,
    ]),
    lecture("alpha", "a1", 1, 1, 1),
    lecture("alpha", "a2", 2, 1),
    lecture("alpha", "a3", 3, 0),
    lecture("beta", "b1", 1, 1),
    lecture("gamma", "g1", 1, 1),
    lecture("delta", "d1", 1, 1),
    lecture("epsilon", "e1", 1, 0),
    quiz("alpha"),
    quiz("beta"),
    quiz("gamma"),
    quiz("delta"),
    [
      `insert into projects (module_id, title, summary, brief_markdown, brief_html)
       select id, 'Build it', 'A project.', 'Brief', '<p>Brief</p>' from modules where slug = 'alpha'`,
    ],
  ]);

  const [a1, a2, a3, b1, g1] = (await Promise.all(["a1", "a2", "a3", "b1", "g1"].map(lectureId))) as [
    number,
    number,
    number,
    number,
    number,
  ];
  const quizId = (module: string) => `(select quizzes.id from quizzes join modules on modules.id = quizzes.module_id
    where modules.slug = '${module}')`;
  const old = T - 50 * DAY;
  const view = (user: string, lecture: number, first: number, last = first): Statement => [
    "insert into lecture_views (user_id, lecture_id, first_viewed_at, last_viewed_at) values (?, ?, ?, ?)",
    user,
    lecture,
    first,
    last,
  ];
  const progress = (user: string, lecture: number, completed: boolean, at = old): Statement => [
    `insert into lecture_progress (user_id, lecture_id, position_seconds, completed_at, created_at, updated_at)
     values (?, ?, 30, ?, ?, ?)`,
    user,
    lecture,
    completed ? at : null,
    at,
    at,
  ];
  let attempts = 0;
  const attempt = (user: string, module: string, passed: boolean, at = old): Statement => [
    `insert into quiz_attempts (id, user_id, quiz_id, correct_count, question_count, score_percent, passed,
       feedback_json, created_at) values (?, ?, ${quizId(module)}, ?, 10, ?, ?, '[]', ?)`,
    `attempt-${++attempts}`,
    user,
    passed ? 9 : 3,
    passed ? 90 : 30,
    passed ? 1 : 0,
    at,
  ];
  let enrolments = 0;
  const enrol = (user: string, at: number, status = "active"): Statement => [
    "insert into enrollments (id, user_id, status, source, created_at, updated_at) values (?, ?, ?, 'admin', ?, ?)",
    `enrolment-${++enrolments}`,
    user,
    status,
    at,
    at,
  ];
  await sqlBatch([
    // Enrolments: this week 1, last week 2 (any status counts), 5 weeks ago 1, the oldest week 1 (on its
    // first second); one a second before the window is not shown.
    enrol("s1", W),
    enrol("s2", W - WEEK + 2 * DAY, "cancelled"),
    enrol("s3", W - WEEK + 3 * DAY, "pending"),
    enrol("s4", W - 5 * WEEK + DAY),
    enrol("s5", W - 11 * WEEK),
    enrol("s6", W - 11 * WEEK - 1),
    // Views. Alpha: s1, s2, s6 (the admin and a draft lecture's viewer do not count). Beta: s3.
    view("s1", a1, old, T - 2 * DAY),
    view("s2", a1, old),
    view("s2", a2, old),
    view("s6", a2, T - 60 * DAY, T - 45 * DAY),
    view(adminId, a1, T - DAY),
    view("s4", a3, old),
    view("s3", b1, old),
    view("s7", g1, old),
    // Progress. Alpha started by s1, s2, s3; completed (a1 and a2, the draft a3 aside) by s1 and s2. Beta: s4.
    progress("s1", a1, true),
    progress("s1", a2, true),
    progress("s1", a3, false),
    progress("s2", a1, true, T - 10 * DAY),
    progress("s2", a2, true),
    progress("s3", a1, true),
    progress("s3", a2, false),
    progress("s4", b1, true),
    progress("s5", a3, true),
    progress(adminId, a1, true),
    progress(adminId, a2, true),
    // Quizzes. Alpha: s1 (failed, then passed), s2 failed, s3 failed twice: 1 of 3. Beta: s3 passed: 1 of 1.
    attempt("s1", "alpha", false),
    attempt("s1", "alpha", true),
    attempt("s2", "alpha", false),
    attempt("s3", "alpha", false),
    attempt("s3", "alpha", false),
    attempt(adminId, "alpha", true),
    attempt("s3", "beta", true, T - 6 * DAY),
    attempt("s5", "gamma", true),
    // Projects: one awaiting review, one approved.
    [
      `insert into project_submissions (id, project_id, user_id, repo_url, status, created_at, updated_at)
       select 'submission-1', id, 's4', 'https://example.com/s4', 'submitted', ?, ? from projects`,
      T - 29 * DAY,
      T - 29 * DAY,
    ],
    [
      `insert into project_submissions (id, project_id, user_id, repo_url, status, created_at, updated_at)
       select 'submission-2', id, 's2', 'https://example.com/s2', 'approved', ?, ? from projects`,
      old,
      old,
    ],
    // Discussions: s5 three days ago, s4 too long ago to count.
    ...[
      ["s5", T - 3 * DAY],
      ["s4", T - 40 * DAY],
    ].map(([user, at]): Statement => [
      "insert into discussion_posts (lecture_id, user_id, body_markdown, body_html, created_at, updated_at) values (?, ?, 'Hi', '<p>Hi</p>', ?, ?)",
      a1,
      user,
      at,
      at,
    ]),
  ]);

  cookies.admin = await login(EMAILS.admin, PASSWORD);
  cookies.student = await login(EMAILS.student, PASSWORD);
  cookies.viewer = await login(EMAILS.viewer, PASSWORD);
});

const isoDate = (seconds: number) => new Date(seconds * 1000).toISOString().slice(0, 10);

describe("admin overview analytics", () => {
  it("equals the hand-computed numbers", async () => {
    const overview = await getAdminOverview(testDatabase(), admin, NOW);

    const expectedWeeks = Array.from({ length: 12 }, (_, index) => ({
      weekStart: isoDate(W - (11 - index) * WEEK),
      total: 0,
    }));
    expectedWeeks[0]!.total = 1;
    expectedWeeks[6]!.total = 1;
    expectedWeeks[10]!.total = 2;
    expectedWeeks[11]!.total = 1;
    expect(overview.enrolmentsByWeek).toEqual(expectedWeeks);

    // 7 days: s1 (viewed), s3 (quiz), s5 (posted). 30 days adds s2 (progress) and s4 (project).
    expect(overview.activeStudents).toEqual({ last7Days: 3, last30Days: 5 });

    expect(overview.funnel).toEqual([
      { slug: "alpha", title: "Alpha", viewed: 3, started: 3, completed: 2 },
      { slug: "beta", title: "Beta", viewed: 1, started: 1, completed: 1 },
      { slug: "delta", title: "Delta", viewed: 0, started: 0, completed: 0 },
    ]);
    expect(overview.passRates).toEqual([
      { slug: "alpha", title: "Alpha", attempted: 3, passed: 1, percent: 33 },
      { slug: "beta", title: "Beta", attempted: 1, passed: 1, percent: 100 },
      { slug: "delta", title: "Delta", attempted: 0, passed: 0, percent: null },
    ]);
    expect(overview.awaitingReview).toBe(1);
    expect(overview).toMatchObject({ students: STUDENTS.length + 2, admins: 1, modules: 4 });
  });

  it("refuses to run for a student", async () => {
    const student = { ...admin, id: "s1", role: "student" as const };
    await expect(getAdminOverview(testDatabase(), student)).rejects.toThrow(/not an admin/);
  });

  it("renders the charts with accessible names and the same numbers as tables, in two round trips", async () => {
    const response = await request("/admin", { headers: { cookie: cookies.admin } });
    expect(response.status).toBe(200);
    const timing = serverTiming(response);
    const html = await response.text();

    for (const chart of ["enrolments-chart", "funnel-chart", "quiz-chart"]) {
      expect(html).toMatch(new RegExp(`<svg[^>]*role="img"[^>]*aria-labelledby="${chart}-title ${chart}-desc"`));
      expect(html).toContain(`<title id="${chart}-title">`);
    }
    expect(html).toContain("Alpha: 3 viewed, 3 started, 2 completed.");
    expect(html).toContain("Alpha: 33%, 1 of 3 students passed.");
    expect(html).toContain("Delta: no attempts yet.");
    expect(html.match(/<summary[^>]*>Show the numbers<\/summary>/g)).toHaveLength(3);
    expect(html).toMatch(/<th scope="row"[^>]*>Alpha<\/th><td[^>]*>3<\/td><td[^>]*>3<\/td><td[^>]*>2<\/td>/);
    expect(html).toMatch(/<th scope="row"[^>]*>Alpha<\/th><td[^>]*>3<\/td><td[^>]*>1<\/td><td[^>]*>33%<\/td>/);
    expect(html).toMatch(/In the last 7 days<\/dt><dd[^>]*>3<\/dd>/);
    expect(html).toMatch(/In the last 30 days<\/dt><dd[^>]*>5<\/dd>/);
    // No payments in this school: the revenue section says so instead of drawing an empty chart.
    expect(html).toMatch(/Revenue this month<\/dt><dd[^>]*>None yet<\/dd>/);
    expect(html.includes("No revenue in the last 12 months")).toBe(true);
    expect(html).not.toContain("revenue-usd-chart");
    // The session, the header's unread counts (the root layout's), then one batch for every read of the page.
    expect(timing["d1-round-trips"]).toBe("3");
  });

  it("serves the same overview as JSON to admins, in two round trips", async () => {
    const response = await request("/api/admin/overview", { headers: { cookie: cookies.admin } });
    expect(response.status).toBe(200);
    // The session, then the one batch.
    expect(serverTiming(response)["d1-round-trips"]).toBe("2");
    const body = await response.json<{ activeStudents: unknown; funnel: unknown[] }>();
    expect(body.activeStudents).toEqual({ last7Days: 3, last30Days: 5 });
    expect(body.funnel).toHaveLength(3);
  });

  it("is not there for students and visitors", async () => {
    for (const cookie of [cookies.student, undefined]) {
      const headers = cookie ? { cookie } : undefined;
      for (const path of ["/admin", "/admin/audit", "/api/admin/overview"]) {
        expect((await request(path, { headers })).status, path).toBe(404);
      }
    }
  });
});

describe("lecture views", () => {
  const viewsOf = async (email: string) =>
    (
      await env.DB.prepare(
        `select lecture_views.lecture_id as lectureId, first_viewed_at as firstAt, last_viewed_at as lastAt
         from lecture_views join users on users.id = lecture_views.user_id where users.email = ?`,
      )
        .bind(email)
        .all<{ lectureId: number; firstAt: number; lastAt: number }>()
    ).results;

  it("records a member's first view once, and moves the last view on every visit", async () => {
    const a1 = await lectureId("a1");
    expect((await request("/modules/alpha/a1", { headers: { cookie: cookies.viewer } })).status).toBe(200);
    await vi.waitFor(async () => expect(await viewsOf(EMAILS.viewer)).toHaveLength(1));
    const [first] = await viewsOf(EMAILS.viewer);
    expect(first).toMatchObject({ lectureId: a1 });
    expect(first!.firstAt).toBe(first!.lastAt);

    // Pretend that first visit was a day ago, so the second one must move it.
    await env.DB.prepare("update lecture_views set first_viewed_at = ?, last_viewed_at = ? where lecture_id = ?")
      .bind(T - DAY, T - DAY, a1)
      .run();
    await request("/modules/alpha/a1", { headers: { cookie: cookies.viewer } });
    await vi.waitFor(async () => expect((await viewsOf(EMAILS.viewer))[0]!.lastAt).toBeGreaterThanOrEqual(T));
    const views = await viewsOf(EMAILS.viewer);
    expect(views).toHaveLength(1);
    expect(views[0]!.firstAt).toBe(T - DAY);
  });

  it("records nothing for visitors, or for lectures the member cannot open", async () => {
    const before = await env.DB.prepare("select count(*) as n from lecture_views").first<number>("n");
    expect((await request("/modules/alpha/a1")).status).toBe(200);
    // a2 is not a free preview and the viewer is not enrolled: the page shows it locked.
    const locked = await request("/modules/alpha/a2", { headers: { cookie: cookies.viewer } });
    expect(locked.status).toBe(200);
    // A recorded view afterwards: once it lands, anything the earlier requests wrote would have too.
    await request("/modules/alpha/a1", { headers: { cookie: cookies.student } });
    await vi.waitFor(async () => expect(await viewsOf(EMAILS.student)).toHaveLength(1));
    expect(await env.DB.prepare("select count(*) as n from lecture_views").first<number>("n")).toBe(before! + 1);
    expect((await viewsOf(EMAILS.viewer)).map((row) => row.lectureId)).toEqual([await lectureId("a1")]);
  });

  it("writes only published lectures the member may read", async () => {
    const db = testDatabase();
    const viewer = (await env.DB.prepare("select id, name, email from users where email = ?")
      .bind(EMAILS.viewer)
      .first<{ id: string; name: string; email: string }>())!;
    const member: CurrentUser = { ...viewer, role: "student", emailVerified: true };
    expect(await recordLectureView(db, null, await lectureId("a1"))).toBe(false);
    expect(await recordLectureView(db, member, await lectureId("a3"))).toBe(false); // draft lecture
    expect(await recordLectureView(db, member, await lectureId("g1"))).toBe(false); // draft module
    expect(await recordLectureView(db, member, await lectureId("a2"))).toBe(false); // locked
    expect(await recordLectureView(db, member, 999_999)).toBe(false);
    expect(await recordLectureView(db, admin, await lectureId("a2"))).toBe(true);
  });
});

describe("audit log page", () => {
  const page = async (query = "") => {
    const response = await request(`/admin/audit${query}`, { headers: { cookie: cookies.admin } });
    expect(response.status).toBe(200);
    return response.text();
  };
  const summaries = (html: string) => [...html.matchAll(/<td class="px-4 py-3">(Entry \d+)<\/td>/g)].map((m) => m[1]);

  it("says so when nothing has been recorded", async () => {
    const html = await page();
    expect(html).toContain("Nothing recorded yet");
    expect(html).not.toContain("<table");
  });

  it("lists entries newest first, a page at a time, with filters that work without JavaScript", async () => {
    // 60 entries, one a minute: odd ones by the admin on lectures, even ones by a departed admin on students.
    await sqlBatch(
      Array.from({ length: 60 }, (_, index): Statement => {
        const n = index + 1;
        const lecture = n % 2 === 1;
        return [
          `insert into audit_log (actor_id, actor_email, action, target_type, target_id, summary, created_at)
           values (?, ?, ?, ?, ?, ?, ?)`,
          lecture ? adminId : null,
          lecture ? EMAILS.admin : "former.admin@example.com",
          lecture ? "lecture.update" : "student.deactivate",
          lecture ? "lecture" : "user",
          String(n),
          `Entry ${n}`,
          T - (60 - n) * 60,
        ];
      }),
    );

    const first = await page();
    const newest = summaries(first);
    expect(newest).toHaveLength(50);
    expect(newest[0]).toBe("Entry 60");
    expect(newest.at(-1)).toBe("Entry 11");
    expect(first).toContain(`<time dateTime="${new Date(T * 1000).toISOString()}">`);
    expect(first).toContain("former.admin@example.com");
    const older = /<a[^>]*href="(\/admin\/audit\?before=\d+)"[^>]*>Older entries<\/a>/.exec(first)?.[1];
    expect(older).toBeDefined();

    const second = await page(older!.replace("/admin/audit", ""));
    expect(summaries(second)).toEqual(Array.from({ length: 10 }, (_, index) => `Entry ${10 - index}`));
    expect(second).not.toContain("Older entries");
    expect(second).toMatch(/<a[^>]*href="\/admin\/audit"[^>]*>Newest entries<\/a>/);

    // The filters offer what the log holds.
    expect(first).toContain('<option value="lecture">lecture.*</option>');
    expect(first).toContain('<option value="former.admin@example.com">former.admin@example.com</option>');

    const students = summaries(await page("?action=student&actor="));
    expect(students).toHaveLength(30);
    expect(students.every((summary) => Number(summary!.slice(6)) % 2 === 0)).toBe(true);
    const byAdmin = summaries(await page(`?actor=${encodeURIComponent(EMAILS.admin)}&action=lecture.update`));
    expect(byAdmin).toHaveLength(30);
    expect(byAdmin[0]).toBe("Entry 59");
    // A prefix matches whole groups only: "lect" is not "lecture".
    expect(await page("?action=lect")).toContain("No entries here");
  });

  it("ignores a filter it does not understand, and says so", async () => {
    const html = await page("?before=soon&action=%25");
    expect(html).toContain("The filter in the address was not understood");
    expect(summaries(html)[0]).toBe("Entry 60");
  });

  it("reads the page in one batch", async () => {
    const response = await request("/admin/audit", { headers: { cookie: cookies.admin } });
    // The session, the header's unread counts (the root layout's), then the entries and both filters together.
    expect(serverTiming(response)["d1-round-trips"]).toBe("3");
    // The route's own data on a client-side navigation: the session and the batch.
    const data = await request("/admin/audit.data?_routes=routes%2Fadmin.audit", {
      headers: { cookie: cookies.admin },
    });
    expect(data.status).toBe(200);
    expect(serverTiming(data)["d1-round-trips"]).toBe("2");
  });
});
