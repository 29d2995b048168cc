import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { fromLocal } from "../../db/cohorts/release.ts";
import { cohortClock } from "../../worker/live/broadcast.ts";
import { createAccount, login, post } from "./accounts.ts";
import { request, seedAllContent } from "./helpers.ts";

// Creating and editing cohorts, the roster with progress, taking a student out, the roster
// as CSV, and the audit entry every cohort action leaves.

const DAY = 86_400;
const PASSWORD = "keeps the cohorts tidy";
const ADMIN = "cohorts.head@example.com";
const STUDENT = "cohorts.learner@example.com";
const cookies = { admin: "", student: "" };
const PAGE = "/admin/cohorts/roster-batch";

/** Names a spreadsheet would run as formulas, or that need quoting. */
const HOSTILE = {
  formula: '=HYPERLINK("http://evil.example","click")',
  comma: 'Doe, "Jo"',
  plus: "+1 555 0100",
  at: "@SUM(A1:A9)",
};

const VALID = {
  name: "Batch 9",
  slug: "batch-9",
  courseTitle: "DevOps Engineering",
  timezone: "Europe/Berlin",
  startsAt: "2031-03-10T09:00",
  endsAt: "2031-06-02T18:00",
  enrollmentOpensAt: "2031-01-05T08:00",
  enrollmentClosesAt: "2031-03-10T09:00",
  capacity: "20",
  price: "490.50",
  currency: "EUR",
};

const admin = (path: string) => request(path, { headers: { cookie: cookies.admin } });
const asAdmin = (path: string, fields: Record<string, string>) => post(path, fields, { cookie: cookies.admin });

const auditCount = async (action?: string) =>
  (await (
    action
      ? env.DB.prepare("select count(*) as n from audit_log where action = ?").bind(action)
      : env.DB.prepare("select count(*) as n from audit_log")
  ).first<number>("n")) ?? 0;

const cohortBySlug = (slug: string) =>
  env.DB.prepare("select * from cohorts where slug = ?").bind(slug).first<Record<string, number | string>>();

const enrolmentOf = (email: string) =>
  env.DB.prepare(
    `select e.id, e.status from enrollments e join users u on u.id = e.user_id
     join cohorts c on c.id = e.cohort_id where u.email = ? and c.slug = 'roster-batch'`,
  )
    .bind(email)
    .first<{ id: string; status: string }>();

const berlin = (local: string) => {
  const [date, time] = local.split("T") as [string, string];
  const [year, month, day] = date.split("-").map(Number) as [number, number, number];
  const [hour, minute] = time.split(":").map(Number) as [number, number];
  return fromLocal({ year, month, day, hour, minute }, "Europe/Berlin");
};

beforeAll(async () => {
  await seedAllContent();
  const now = Math.floor(Date.now() / 1000);
  await env.DB.prepare(
    `insert into cohorts (slug, name, course_title, timezone, starts_at, ends_at, enrollment_opens_at,
       enrollment_closes_at, capacity, price_cents)
     values ('roster-batch', 'Roster Batch', 'DevOps Engineering', 'Asia/Bishkek', ?, ?, ?, ?, 10, 49000)`,
  )
    .bind(now + 10 * DAY, now + 100 * DAY, now - DAY, now + 10 * DAY)
    .run();
  await createAccount(ADMIN, PASSWORD, "admin", "Head Admin");
  await createAccount(STUDENT, PASSWORD, "student", "Plain Learner");
  for (const [key, name] of Object.entries(HOSTILE))
    await createAccount(`${key}@example.com`, PASSWORD, "student", name);
  cookies.admin = await login(ADMIN, PASSWORD);
  cookies.student = await login(STUDENT, PASSWORD);
  // Seeding the whole curriculum and hashing passwords takes longer than the default hook timeout.
}, 60_000);

describe("who may use the cohort admin", () => {
  it("answers 404 to students and visitors on every new page and action, and writes nothing", async () => {
    const before = await auditCount();
    for (const cookie of [cookies.student, undefined]) {
      const headers: Record<string, string> = cookie ? { cookie } : {};
      for (const path of ["/admin/cohorts/new", `${PAGE}/edit`, `${PAGE}/roster.csv`]) {
        expect((await request(path, { headers })).status, path).toBe(404);
      }
      expect((await post("/admin/cohorts/new", { ...VALID, slug: "sneaky" }, headers)).status).toBe(404);
      expect((await post(`${PAGE}/edit`, { ...VALID, slug: "roster-batch" }, headers)).status).toBe(404);
      expect((await post(PAGE, { intent: "remove", enrollment: crypto.randomUUID() }, headers)).status).toBe(404);
    }
    expect(await cohortBySlug("sneaky")).toBeNull();
    expect((await cohortBySlug("roster-batch"))!.name).toBe("Roster Batch");
    expect(await auditCount()).toBe(before);
  });
});

describe("creating a cohort", () => {
  it("names every wrong field, keeps what was typed and writes nothing", async () => {
    const before = await auditCount();
    const response = await asAdmin("/admin/cohorts/new", {
      ...VALID,
      slug: "Batch Nine!",
      timezone: "Mars/Olympus_Mons",
      capacity: "0",
      currency: "XXQ",
    });
    expect(response.status).toBe(400);
    const html = await response.text();
    for (const field of ["slug", "timezone", "capacity", "currency"]) {
      expect(html, field).toContain(`id="cohort-${field}-error"`);
    }
    expect(html).toContain("Enter an IANA timezone name");
    expect(html).toContain('value="Mars/Olympus_Mons"');
    expect(html).toContain('value="Batch Nine!"');
    expect(html).toContain('value="2031-03-10T09:00"');
    expect(await cohortBySlug("batch-9")).toBeNull();
    expect(await auditCount()).toBe(before);
  });

  it("checks the calendar: ends after it starts, enrolment closes after it opens and by the start", async () => {
    const cases = [
      { fields: { endsAt: "2031-03-01T09:00" }, field: "endsAt", message: "must end after it starts" },
      {
        fields: { enrollmentClosesAt: "2031-03-11T09:00" },
        field: "enrollmentClosesAt",
        message: "close before the cohort starts, or exactly when it starts",
      },
      {
        fields: { enrollmentOpensAt: "2031-03-10T10:00", enrollmentClosesAt: "2031-03-10T09:00" },
        field: "enrollmentClosesAt",
        message: "close after it opens",
      },
      { fields: { startsAt: "2031-02-30T09:00" }, field: "startsAt", message: "Enter a date and time" },
      { fields: { price: "12.345" }, field: "price", message: "at most 2 digits" },
      { fields: { slug: "new" }, field: "slug", message: "names an admin page" },
    ];
    for (const { fields, field, message } of cases) {
      const response = await asAdmin("/admin/cohorts/new", { ...VALID, ...fields });
      expect(response.status, field).toBe(400);
      const html = await response.text();
      expect(html, field).toContain(`id="cohort-${field}-error"`);
      expect(html, field).toContain(message);
      expect(html, field).toContain(`value="${Object.values(fields)[0]}"`);
    }
    expect(await cohortBySlug("batch-9")).toBeNull();
    expect(await auditCount("cohort.create")).toBe(0);
  });

  it("stores a valid cohort with its times read in its timezone, audits it and syncs its clock", async () => {
    const response = await asAdmin("/admin/cohorts/new", VALID);
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/admin/cohorts/batch-9?created=1");
    const row = (await cohortBySlug("batch-9"))!;
    expect(row.starts_at).toBe(berlin(VALID.startsAt).getTime() / 1000);
    expect(row.ends_at).toBe(berlin(VALID.endsAt).getTime() / 1000);
    expect(row.enrollment_closes_at).toBe(row.starts_at);
    expect(row).toMatchObject({ capacity: 20, price_cents: 49_050, currency: "eur", status: "upcoming" });
    const audit = await env.DB.prepare("select * from audit_log where action = 'cohort.create'").first<{
      target_type: string;
      target_id: string;
      actor_email: string;
      summary: string;
    }>();
    expect(audit).toMatchObject({ target_type: "cohort", target_id: String(row.id), actor_email: ADMIN });
    expect(audit!.summary).toContain("Batch 9");

    const clock = await cohortClock(env, row.id as number).state();
    const start = clock.events.find((event) => event.key === "phase:running");
    expect(start?.at).toBe(berlin(VALID.startsAt).getTime());

    const page = await (await admin("/admin/cohorts/batch-9?created=1")).text();
    expect(page).toContain("Cohort created.");
    expect(page).toContain("€490.50");
  });

  it("refuses a slug another cohort has", async () => {
    const response = await asAdmin("/admin/cohorts/new", { ...VALID, name: "Copy" });
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toContain('id="cohort-slug-error"');
    expect(html).toContain("Another cohort uses this slug");
    expect(html).toContain('value="Copy"');
    expect(await auditCount("cohort.create")).toBe(1);
  });
});

describe("editing a cohort", () => {
  it("starts from the stored values, as wall-clock times in the cohort's timezone", async () => {
    const html = await (await admin("/admin/cohorts/batch-9/edit")).text();
    expect(html).toContain('value="2031-03-10T09:00"');
    expect(html).toContain('value="Europe/Berlin"');
    expect(html).toContain('value="490.50"');
    expect(html).toContain('value="EUR"');
  });

  it("refuses a capacity below the seats taken, and bad dates, writing nothing", async () => {
    await env.DB.prepare(
      `insert into enrollments (id, user_id, status, source, cohort_id)
       select ?, id, 'active', 'admin', (select id from cohorts where slug = 'batch-9') from users where email = ?`,
    )
      .bind(crypto.randomUUID(), STUDENT)
      .run();
    const before = (await cohortBySlug("batch-9"))!;
    const low = await asAdmin("/admin/cohorts/batch-9/edit", { ...VALID, name: "Renamed", capacity: "0" });
    expect(low.status).toBe(400);
    expect(await low.text()).toContain("Enter from 1 to 10,000 seats.");

    await env.DB.prepare(
      `insert into enrollments (id, user_id, status, source, cohort_id)
       select ?, id, 'pending', 'admin', (select id from cohorts where slug = 'batch-9') from users where email = ?`,
    )
      .bind(crypto.randomUUID(), "plus@example.com")
      .run();
    const below = await asAdmin("/admin/cohorts/batch-9/edit", { ...VALID, name: "Renamed", capacity: "1" });
    expect(below.status).toBe(400);
    const html = await below.text();
    expect(html).toContain('id="cohort-capacity-error"');
    expect(html).toContain("2 seats are already taken: the capacity cannot be lower.");
    expect(html).toContain('value="Renamed"');

    const dates = await asAdmin("/admin/cohorts/batch-9/edit", { ...VALID, endsAt: "2031-03-10T09:00" });
    expect(dates.status).toBe(400);
    expect(await dates.text()).toContain('id="cohort-endsAt-error"');

    expect(await cohortBySlug("batch-9")).toEqual(before);
    expect(await auditCount("cohort.update")).toBe(0);
  });

  it("saves every field, moves to the new slug, audits it and re-syncs the clock", async () => {
    const id = (await cohortBySlug("batch-9"))!.id;
    const response = await asAdmin("/admin/cohorts/batch-9/edit", {
      ...VALID,
      name: "Batch Nine",
      slug: "batch-nine",
      startsAt: "2031-03-17T09:00",
      enrollmentClosesAt: "2031-03-17T09:00",
      capacity: "2",
      price: "500",
      currency: "usd",
    });
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/admin/cohorts/batch-nine?edited=1");
    const row = (await cohortBySlug("batch-nine"))!;
    expect(row).toMatchObject({ id, name: "Batch Nine", capacity: 2, price_cents: 50_000, currency: "usd" });
    expect(row.starts_at).toBe(berlin("2031-03-17T09:00").getTime() / 1000);
    expect(await cohortBySlug("batch-9")).toBeNull();
    expect(await auditCount("cohort.update")).toBe(1);
    const clock = await cohortClock(env, id as number).state();
    expect(clock.events.find((event) => event.key === "phase:running")?.at).toBe(berlin("2031-03-17T09:00").getTime());
    expect((await admin("/admin/cohorts/batch-9/edit")).status).toBe(404);
  });
});

describe("the roster", () => {
  beforeAll(async () => {
    for (const email of [STUDENT, ...Object.keys(HOSTILE).map((key) => `${key}@example.com`)]) {
      expect((await asAdmin(PAGE, { intent: "enrol", email })).status, email).toBe(302);
    }
    // The plain learner has finished two Linux lectures, passed its quiz and had its project approved.
    const student = `(select id from users where email = '${STUDENT}')`;
    await env.DB.batch([
      env.DB.prepare(
        `insert into lecture_progress (user_id, lecture_id, completed_at)
         select ${student}, lectures.id, unixepoch() from lectures join modules on modules.id = lectures.module_id
         where modules.slug = 'linux' and lectures.published = 1 order by lectures.position limit 2`,
      ),
      env.DB.prepare(
        `insert into quiz_attempts (id, user_id, quiz_id, correct_count, question_count, score_percent, passed, feedback_json)
         select '${crypto.randomUUID()}', ${student}, quizzes.id, 9, 10, 90, 1, '[]'
         from quizzes join modules on modules.id = quizzes.module_id where modules.slug = 'linux'`,
      ),
      env.DB.prepare(
        `insert into project_submissions (id, project_id, user_id, repo_url, status)
         select '${crypto.randomUUID()}', projects.id, ${student}, 'https://github.com/example/lab', 'approved'
         from projects join modules on modules.id = projects.module_id where modules.slug = 'linux'`,
      ),
    ]);
  });

  const totals = () =>
    env.DB.prepare(
      `select
        (select count(*) from lectures join modules on modules.id = lectures.module_id
          where lectures.published = 1 and modules.published = 1) as lectures,
        (select count(*) from quizzes join modules on modules.id = quizzes.module_id where modules.published = 1) as quizzes,
        (select count(*) from projects join modules on modules.id = projects.module_id
          where modules.published = 1 and projects.required = 1) as projects`,
    ).first<{ lectures: number; quizzes: number; projects: number }>();

  it("shows each student's lecture completion, quizzes passed and projects approved", async () => {
    const { lectures, quizzes, projects } = (await totals())!;
    const html = await (await admin(PAGE)).text();
    const row = new RegExp(`Plain Learner</a>.*?</tr>`, "s").exec(html)?.[0] ?? "";
    expect(row).toContain(`${Math.round((2 / lectures) * 100)}<!-- -->%`);
    expect(row).toContain(`2<!-- --> of <!-- -->${lectures}`);
    expect(row).toContain(`1<!-- --> of <!-- -->${quizzes}`);
    expect(row).toContain(`1<!-- --> of <!-- -->${projects}`);
    expect(row).toContain("Remove…");
    expect(html).toContain('href="/admin/cohorts/roster-batch/roster.csv"');
    expect(html).toContain('href="/admin/cohorts/roster-batch/edit"');
  });

  it("exports the roster as a CSV attachment that spreadsheets cannot turn into formulas", async () => {
    const before = await auditCount("cohort.export_roster");
    const response = await admin(`${PAGE}/roster.csv`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("content-disposition")).toMatch(
      /^attachment; filename="roster-batch-roster-\d{4}-\d{2}-\d{2}\.csv"$/,
    );
    const bytes = new Uint8Array(await response.arrayBuffer());
    // A byte-order mark first, so spreadsheet apps read the names as UTF-8 (decoding drops it).
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes);
    expect(text.startsWith("Name,Email,Enrolment status,")).toBe(true);
    const lines = text.split("\r\n");
    expect(lines.at(-1)).toBe("");
    expect(lines).toHaveLength(1 + 5 + 1);
    const { lectures, quizzes, projects } = (await totals())!;
    const percent = Math.round((2 / lectures) * 100);
    expect(lines.find((line) => line.startsWith("Plain Learner,"))).toMatch(
      new RegExp(
        `^Plain Learner,${STUDENT},active,admin,\\d{4}-\\d{2}-\\d{2}T[\\d:.]+Z,2,${lectures},${percent},1,${quizzes},1,${projects}$`,
      ),
    );
    expect(text).toContain(`"'=HYPERLINK(""http://evil.example"",""click"")",formula@example.com,`);
    expect(text).toContain(`"Doe, ""Jo""",comma@example.com,`);
    expect(text).toContain(`'+1 555 0100,plus@example.com,`);
    expect(text).toContain(`'@SUM(A1:A9),at@example.com,`);
    expect(text).not.toMatch(/(^|,)=HYPERLINK/m);
    expect(await auditCount("cohort.export_roster")).toBe(before + 1);
  });

  it("answers 404 for the roster of a cohort that does not exist, without an audit entry", async () => {
    const before = await auditCount();
    expect((await admin("/admin/cohorts/no-such-batch/roster.csv")).status).toBe(404);
    expect(await auditCount()).toBe(before);
  });

  it("removes a student by cancelling their enrolment, freeing the seat, once", async () => {
    const enrolment = (await enrolmentOf("at@example.com"))!;
    const seats = () => cohortBySlug("roster-batch");
    const response = await asAdmin(PAGE, { intent: "remove", enrollment: enrolment.id });
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe(`${PAGE}?removed=1`);
    expect((await enrolmentOf("at@example.com"))!.status).toBe("cancelled");
    const audit = await env.DB.prepare(
      "select target_type, target_id from audit_log where action = 'cohort.remove_student'",
    ).first<{ target_type: string; target_id: string }>();
    const userId = await env.DB.prepare("select id from users where email = 'at@example.com'").first<string>("id");
    expect(audit).toEqual({ target_type: "user", target_id: userId });
    expect(await seats()).not.toBeNull();

    const html = await (await admin(`${PAGE}?removed=1`)).text();
    expect(html).toContain("the enrolment is cancelled and the seat is free");
    expect(html).toContain("4 of 10 taken");

    const again = await asAdmin(PAGE, { intent: "remove", enrollment: enrolment.id });
    expect(again.status).toBe(409);
    expect(await again.text()).toContain("has no current seat in this cohort");
    expect(await auditCount("cohort.remove_student")).toBe(1);
  });
});

describe("the audit log of the existing cohort actions", () => {
  it("records shifting dates, enrolling and releasing early, and nothing for refused attempts", async () => {
    expect(await auditCount("cohort.enrol")).toBe(5);
    const refusedEnrol = await asAdmin(PAGE, { intent: "enrol", email: STUDENT });
    expect(refusedEnrol.status).toBe(400);
    expect(await auditCount("cohort.enrol")).toBe(5);

    expect((await asAdmin(PAGE, { intent: "shift", days: "3" })).status).toBe(302);
    expect((await asAdmin("/admin/cohorts/no-such-batch", { intent: "shift", days: "3" })).status).toBe(404);
    expect(await auditCount("cohort.shift")).toBe(1);

    const released = await asAdmin(PAGE, { intent: "release", email: STUDENT, module: "docker" });
    expect(released.status).toBe(302);
    const refused = await asAdmin(PAGE, { intent: "release", email: "at@example.com", module: "docker" });
    expect(refused.status).toBe(400);
    expect(await auditCount("cohort.release_early")).toBe(1);
    const overrides = await env.DB.prepare("select count(*) as n from module_release_overrides").first<number>("n");
    expect(overrides).toBe(1);
  });
});
