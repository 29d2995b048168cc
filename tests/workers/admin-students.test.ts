import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { upsertDemoCohorts } from "../../db/seed/cohorts.ts";
import { createAccount, login, post } from "./accounts.ts";
import { request, seedAllContent, testDatabase } from "./helpers.ts";

// The admin's student pages: finding accounts, one student's record, and each action an
// admin may take on an account, with its audit entry. A student's private notes never
// reach an admin page.

const PASSWORD = "studies devops daily";
const EMAILS = {
  admin: "students.head@example.com",
  student: "maria.learner@example.com",
  other: "other.learner@example.com",
  target: "target.learner@example.com",
} as const;
const cookies = { admin: "", student: "", other: "" };
const ids = { admin: "", student: "", other: "", target: "" };
const NOTE_TEXT = "my-private-note-7f3a: I find Kubernetes confusing";

const admin = (path: string) => request(path, { headers: { cookie: cookies.admin } });
const asAdmin = (path: string, fields: Record<string, string>) => post(path, fields, { cookie: cookies.admin });
const studentPage = (who: keyof typeof ids) => `/admin/students/${ids[who]}`;

const userId = (email: string) =>
  env.DB.prepare("select id from users where email = ?").bind(email).first<string>("id");
const count = (table: string, userId: string) =>
  env.DB.prepare(`select count(*) as n from ${table} where user_id = ?`).bind(userId).first<number>("n");
const audits = (action: string, targetId: string) =>
  env.DB.prepare("select count(*) as n from audit_log where action = ? and target_type = 'user' and target_id = ?")
    .bind(action, targetId)
    .first<number>("n");

/** A learning record in every table a reset touches, and in the ones it must leave alone. */
async function seedLearning(email: string) {
  const user = `(select id from users where email = '${email}')`;
  const linux = "(select id from modules where slug = 'linux')";
  await env.DB.batch([
    env.DB.prepare(
      `insert into lecture_progress (user_id, lecture_id, position_seconds, completed_at)
       select ${user}, id, 30, unixepoch() from lectures where module_id = ${linux} and published = 1
       order by position limit 3`,
    ),
    env.DB.prepare(
      `insert into lecture_views (user_id, lecture_id) select ${user}, id from lectures where module_id = ${linux} limit 4`,
    ),
    env.DB.prepare(
      `insert into quiz_attempts (id, user_id, quiz_id, correct_count, question_count, score_percent, passed, feedback_json)
       select '${crypto.randomUUID()}', ${user}, id, 4, 10, 40, 0, '[]' from quizzes where module_id = ${linux}`,
    ),
    env.DB.prepare(
      `insert into quiz_attempts (id, user_id, quiz_id, correct_count, question_count, score_percent, passed, feedback_json)
       select '${crypto.randomUUID()}', ${user}, id, 8, 10, 80, 1, '[]' from quizzes where module_id = ${linux}`,
    ),
    env.DB.prepare(
      `insert into interview_cards (user_id, question_id, last_rating, due_at, reviewed_at)
       select ${user}, id, 'good', unixepoch() + 86400, unixepoch() from interview_questions limit 2`,
    ),
    env.DB.prepare(
      `insert into lecture_notes (user_id, lecture_id, body_markdown)
       select ${user}, id, ? from lectures where module_id = ${linux} limit 1`,
    ).bind(NOTE_TEXT),
    env.DB.prepare(
      `insert into project_submissions (id, project_id, user_id, repo_url, status)
       select '${crypto.randomUUID()}', id, ${user}, 'https://github.com/example/lab', 'changes_requested'
       from projects where module_id = ${linux}`,
    ),
    env.DB.prepare(
      `insert into certificates (id, user_id, recipient_name, course_title, lecture_count, issued_at)
       values ('${crypto.randomUUID().replaceAll("-", "")}', ${user}, 'Maria', 'DevOps Engineering Programme', 34, unixepoch())`,
    ),
  ]);
}

beforeAll(async () => {
  await seedAllContent();
  await upsertDemoCohorts(testDatabase());
  await createAccount(EMAILS.admin, PASSWORD, "admin", "Head Admin");
  await createAccount(EMAILS.student, PASSWORD, "student", "Maria Learner");
  await createAccount(EMAILS.other, PASSWORD, "student", "Omar Other");
  await createAccount(EMAILS.target, PASSWORD, "student", "Tess Target");
  for (const key of Object.keys(ids) as Array<keyof typeof ids>) ids[key] = (await userId(EMAILS[key]))!;
  // Many more accounts, straight into D1 (no password needed), to page through.
  await env.DB.batch(
    Array.from({ length: 27 }, (_, index) =>
      env.DB.prepare("insert into users (id, name, email, created_at) values (?, ?, ?, unixepoch() - ?)").bind(
        crypto.randomUUID(),
        `Pager Person ${String(index).padStart(2, "0")}`,
        `pager${index}@example.com`,
        1000 + index,
      ),
    ),
  );
  await seedLearning(EMAILS.student);
  await seedLearning(EMAILS.other);
  cookies.admin = await login(EMAILS.admin, PASSWORD);
  cookies.student = await login(EMAILS.student, PASSWORD);
  cookies.other = await login(EMAILS.other, PASSWORD);
  // Seeding the whole curriculum and hashing passwords takes longer than the default hook timeout.
}, 60_000);

describe("who may use the student admin", () => {
  it("answers 404 to students and visitors, for pages and every action, and changes nothing", async () => {
    for (const cookie of [cookies.student, undefined]) {
      const headers: Record<string, string> = cookie ? { cookie } : {};
      for (const path of ["/admin/students", "/admin/students?q=maria", studentPage("other")]) {
        expect((await request(path, { headers })).status, path).toBe(404);
      }
      const attempts: Array<Record<string, string>> = [
        { intent: "role", role: "admin" },
        { intent: "deactivate" },
        { intent: "reset" },
        { intent: "place", cohort: "batch-4" },
      ];
      for (const fields of attempts) {
        expect((await post(studentPage("other"), fields, headers)).status, fields.intent).toBe(404);
      }
    }
    const other = await env.DB.prepare("select role, deactivated_at from users where id = ?").bind(ids.other).first();
    expect(other).toEqual({ role: "student", deactivated_at: null });
    expect(await count("lecture_progress", ids.other)).toBe(3);
    expect(await env.DB.prepare("select count(*) as n from audit_log").first<number>("n")).toBe(0);
    expect((await admin("/admin/students/not a valid id")).status).toBe(404);
    expect((await admin("/admin/students/no-such-account")).status).toBe(404);
  });
});

describe("finding accounts", () => {
  const names = (html: string) => [...html.matchAll(/href="\/admin\/students\/[^"]+"[^>]*>([^<]+)</g)].map((m) => m[1]);

  it("searches names and emails, case-insensitively, with a plain GET form", async () => {
    const html = await (await admin("/admin/students?q=MARIA")).text();
    expect(html).toContain('<form method="get"');
    expect(html).toContain('value="MARIA"');
    expect(names(html)).toEqual(["Maria Learner"]);
    expect(names(await (await admin("/admin/students?q=other.learner")).text())).toEqual(["Omar Other"]);
    expect(names(await (await admin("/admin/students?q=%25")).text())).toEqual([]);
  });

  it("filters by role and status, and pages through the rest", async () => {
    expect(names(await (await admin("/admin/students?role=admin")).text())).toEqual(["Head Admin"]);
    await env.DB.prepare("update users set deactivated_at = unixepoch() where email = 'pager3@example.com'").run();
    expect(names(await (await admin("/admin/students?status=deactivated")).text())).toEqual(["Pager Person 03"]);

    const first = await (await admin("/admin/students?q=pager")).text();
    expect(names(first)).toHaveLength(25);
    expect(first).toContain("27 accounts");
    expect(first).toContain('href="/admin/students?q=pager&amp;page=2"');
    const second = await (await admin("/admin/students?q=pager&page=2")).text();
    expect(names(second)).toEqual(["Pager Person 25", "Pager Person 26"]);
    const active = await (await admin("/admin/students?q=pager&status=active&role=student")).text();
    expect(active).toContain("26 accounts");
    await env.DB.prepare("update users set deactivated_at = null where email = 'pager3@example.com'").run();
  });

  it("shows each account's enrolment and latest activity", async () => {
    await env.DB.prepare(
      `insert into enrollments (id, user_id, status, source, cohort_id)
       values (?, ?, 'active', 'admin', (select id from cohorts where slug = 'batch-3'))`,
    )
      .bind(crypto.randomUUID(), ids.student)
      .run();
    const html = await (await admin("/admin/students?q=maria")).text();
    expect(html).toContain("Batch 3");
    expect(html).not.toContain("None yet");
  });
});

describe("a student's page", () => {
  it("shows the profile, enrolments, progress per module, certificate and sessions, never the notes", async () => {
    const html = await (await admin(studentPage("student"))).text();
    expect(html).toContain("Maria Learner");
    expect(html).toContain(EMAILS.student);
    expect(html).toContain("Batch 3");
    const linux = /Linux Foundations<\/th>.*?<\/tr>/s.exec(html)?.[0] ?? "";
    expect(linux).toMatch(/3<!-- --> of <!-- -->\d+/);
    expect(linux).toContain("Passed");
    expect(linux).toContain("Best <!-- -->80<!-- -->%");
    expect(linux).toContain("Changes requested");
    expect(html).toContain("issued ");
    expect(html).toContain("1 active session");
    // The confirmation says exactly what a reset deletes.
    expect(html).toContain("3<!-- --> <!-- -->lecture progress records");
    expect(html).toContain("4<!-- --> <!-- -->lecture views");
    expect(html).toContain("2<!-- --> <!-- -->quiz attempts");
    expect(html).toContain("2<!-- --> <!-- -->interview practice cards");

    for (const path of [studentPage("student"), "/admin/students?q=maria", "/admin/cohorts/batch-3"]) {
      const page = await (await admin(path)).text();
      expect(page, path).not.toContain("my-private-note-7f3a");
      expect(page, path).not.toContain("Kubernetes confusing");
    }
  });
});

describe("changing a role", () => {
  it("promotes and demotes another account, audited, with immediate effect", async () => {
    expect((await request("/admin", { headers: { cookie: cookies.other } })).status).toBe(404);
    const promoted = await asAdmin(studentPage("other"), { intent: "role", role: "admin" });
    expect(promoted.status).toBe(302);
    expect(promoted.headers.get("location")).toBe(`${studentPage("other")}?done=admin`);
    expect((await request("/admin", { headers: { cookie: cookies.other } })).status).toBe(200);

    const same = await asAdmin(studentPage("other"), { intent: "role", role: "admin" });
    expect(same.status).toBe(400);
    expect(await same.text()).toContain("already an admin");

    expect((await asAdmin(studentPage("other"), { intent: "role", role: "student" })).status).toBe(302);
    expect((await request("/admin", { headers: { cookie: cookies.other } })).status).toBe(404);
    expect(await audits("student.role_change", ids.other)).toBe(2);
  });

  it("refuses an admin's own role change and self-deactivation", async () => {
    const page = await (await admin(studentPage("admin"))).text();
    expect(page).toContain("another admin has to change its role");
    expect(page).toContain("you cannot deactivate yourself");
    const role = await asAdmin(studentPage("admin"), { intent: "role", role: "student" });
    expect(role.status).toBe(400);
    expect(await role.text()).toContain("You cannot change your own role");
    const deactivate = await asAdmin(studentPage("admin"), { intent: "deactivate" });
    expect(deactivate.status).toBe(409);
    expect(await deactivate.text()).toContain("You cannot deactivate your own account.");
    expect(await env.DB.prepare("select role, deactivated_at from users where id = ?").bind(ids.admin).first()).toEqual(
      { role: "admin", deactivated_at: null },
    );
    expect(
      await env.DB.prepare("select count(*) as n from audit_log where target_id = ?").bind(ids.admin).first("n"),
    ).toBe(0);
  });
});

describe("deactivating an account", () => {
  let cookie = "";
  beforeAll(async () => {
    cookie = await login(EMAILS.target, PASSWORD);
  });

  it("ends every session at once and refuses sign-in, saying why only to the right password", async () => {
    expect((await request("/dashboard", { headers: { cookie } })).status).toBe(200);
    const response = await asAdmin(studentPage("target"), { intent: "deactivate" });
    expect(response.status).toBe(302);
    expect(await count("sessions", ids.target)).toBe(0);
    expect(
      await env.DB.prepare("select deactivated_at from users where id = ?").bind(ids.target).first("deactivated_at"),
    ).not.toBeNull();
    expect(await audits("student.deactivate", ids.target)).toBe(1);

    const after = await request("/dashboard", { headers: { cookie } });
    expect(after.status).toBe(302);
    expect(after.headers.get("location")).toMatch(/^\/login/);

    const refused = await post("/login", { email: EMAILS.target, password: PASSWORD });
    expect(refused.status).toBe(403);
    expect(refused.headers.getSetCookie().filter((value) => /^__Host-school\.session=[^;]/.test(value))).toEqual([]);
    expect(await refused.text()).toContain("This account has been deactivated. Contact the school.");
    expect(await count("sessions", ids.target)).toBe(0);

    const wrong = await post("/login", { email: EMAILS.target, password: "not the password at all" });
    expect(wrong.status).toBe(401);
    const wrongHtml = await wrong.text();
    expect(wrongHtml).toContain("Email or password is incorrect.");
    expect(wrongHtml).not.toContain("deactivated");

    const again = await asAdmin(studentPage("target"), { intent: "deactivate" });
    expect(again.status).toBe(409);
    expect(await audits("student.deactivate", ids.target)).toBe(1);
  });

  it("reactivates: sign-in works again", async () => {
    const response = await asAdmin(studentPage("target"), { intent: "reactivate" });
    expect(response.status).toBe(302);
    expect(await audits("student.reactivate", ids.target)).toBe(1);
    const fresh = await login(EMAILS.target, PASSWORD);
    expect((await request("/dashboard", { headers: { cookie: fresh } })).status).toBe(200);
    cookie = fresh;
  });

  it("also turns away a session that outlived its account's deactivation", async () => {
    await env.DB.prepare("update users set deactivated_at = unixepoch() where id = ?").bind(ids.target).run();
    expect(await count("sessions", ids.target)).toBe(1);
    const response = await request("/dashboard", { headers: { cookie } });
    expect(response.status).toBe(302);
    expect(await count("sessions", ids.target)).toBe(0);
    await env.DB.prepare("update users set deactivated_at = null where id = ?").bind(ids.target).run();
  });
});

describe("resetting progress", () => {
  it("deletes exactly the listed records, keeps notes, submissions and the certificate, and is audited", async () => {
    const response = await asAdmin(studentPage("student"), { intent: "reset" });
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe(`${studentPage("student")}?done=reset`);
    for (const table of ["lecture_progress", "lecture_views", "quiz_attempts", "interview_cards"]) {
      expect(await count(table, ids.student), table).toBe(0);
    }
    for (const table of ["lecture_notes", "project_submissions", "certificates", "enrollments"]) {
      expect(await count(table, ids.student), table).toBe(1);
    }
    const note = await env.DB.prepare("select body_markdown from lecture_notes where user_id = ?")
      .bind(ids.student)
      .first("body_markdown");
    expect(note).toBe(NOTE_TEXT);
    // Nobody else's record moved.
    expect(await count("lecture_progress", ids.other)).toBe(3);
    expect(await count("lecture_views", ids.other)).toBe(4);
    expect(await count("quiz_attempts", ids.other)).toBe(2);
    expect(await count("interview_cards", ids.other)).toBe(2);
    expect(await audits("student.reset_progress", ids.student)).toBe(1);
    const page = await (await admin(`${studentPage("student")}?done=reset`)).text();
    expect(page).toContain("Progress reset");
    expect(page).toContain("Reset the progress of maria.learner@example.com");
    expect(page).not.toContain("my-private-note-7f3a");
  });
});

describe("enrolling and changing cohort", () => {
  const enrolments = (id: string) =>
    env.DB.prepare(
      `select e.id, e.status, c.slug from enrollments e left join cohorts c on c.id = e.cohort_id
       where e.user_id = ? order by e.created_at`,
    )
      .bind(id)
      .all<{ id: string; status: string; slug: string | null }>()
      .then((result) => result.results);

  it("enrols an account without a seat, then moves that same enrolment, never past capacity", async () => {
    const enrolled = await asAdmin(studentPage("target"), { intent: "place", cohort: "batch-4" });
    expect(enrolled.status).toBe(302);
    expect(enrolled.headers.get("location")).toBe(`${studentPage("target")}?done=enrolled`);
    const [first] = await enrolments(ids.target);
    expect(first).toMatchObject({ status: "active", slug: "batch-4" });

    const same = await asAdmin(studentPage("target"), { intent: "place", cohort: "batch-4" });
    expect(same.status).toBe(400);
    expect(await same.text()).toContain("already have a seat in this cohort");

    const moved = await asAdmin(studentPage("target"), { intent: "place", cohort: "batch-3" });
    expect(moved.status).toBe(302);
    expect(await enrolments(ids.target)).toEqual([{ id: first!.id, status: "active", slug: "batch-3" }]);

    await env.DB.prepare("update cohorts set capacity = 0 where slug = 'batch-4'").run();
    const full = await asAdmin(studentPage("target"), { intent: "place", cohort: "batch-4" });
    expect(full.status).toBe(400);
    const fullHtml = await full.text();
    expect(fullHtml).toContain('id="student-cohort-error"');
    expect(fullHtml).toContain("This cohort is full");
    expect(await enrolments(ids.target)).toEqual([{ id: first!.id, status: "active", slug: "batch-3" }]);
    await env.DB.prepare("update cohorts set capacity = 30 where slug = 'batch-4'").run();

    const unknown = await asAdmin(studentPage("target"), { intent: "place", cohort: "no-such-batch" });
    expect(unknown.status).toBe(400);
    expect(await audits("student.enrol", ids.target)).toBe(1);
    expect(await audits("student.move_cohort", ids.target)).toBe(1);
  });
});
