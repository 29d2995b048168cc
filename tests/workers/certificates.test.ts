import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { enrollStatement } from "../../db/seed/user-statements.ts";
import { createAccount, login, post } from "./accounts.ts";
import { request, seedAllContent } from "./helpers.ts";

// The certificate is issued by the write that completes the programme. Earlier work is laid
// down as rows (the quiz and project flows have tests of their own); the last step always
// goes through the real page action.

type Student = { email: string; cookie: string; id: string };

async function enrolledStudent(email: string, name: string): Promise<Student> {
  await createAccount(email, "working towards it", "student", name);
  await env.DB.prepare(enrollStatement(email, crypto.randomUUID())).run();
  const id = (await env.DB.prepare("select id from users where email = ?").bind(email).first<string>("id"))!;
  return { email, id, cookie: await login(email, "working towards it") };
}

const orderedLectures = () =>
  env.DB.prepare(
    `select lectures.id, lectures.slug, modules.slug as module_slug from lectures
     join modules on modules.id = lectures.module_id order by modules.position, lectures.position`,
  ).all<{ id: number; slug: string; module_slug: string }>();

async function completeAllBut(student: Student, last: { id: number }) {
  await env.DB.prepare(
    `insert into lecture_progress (user_id, lecture_id, completed_at)
     select ?, id, unixepoch() from lectures where id != ?`,
  )
    .bind(student.id, last.id)
    .run();
}

async function passEveryQuiz(student: Student) {
  await env.DB.prepare(
    `insert into quiz_attempts (id, user_id, quiz_id, correct_count, question_count, score_percent, passed, feedback_json)
     select lower(hex(randomblob(16))), ?, id, 1, 1, 100, 1, '[]' from quizzes`,
  )
    .bind(student.id)
    .run();
}

async function approveEveryRequiredProject(student: Student) {
  await env.DB.prepare(
    `insert into project_submissions (id, project_id, user_id, repo_url, status)
     select lower(hex(randomblob(16))), id, ?, 'https://github.com/example/work', 'approved' from projects where required = 1`,
  )
    .bind(student.id)
    .run();
}

function complete(student: Student, lecture: { id: number; slug: string; module_slug: string }) {
  return post(
    `/modules/${lecture.module_slug}/${lecture.slug}`,
    { intent: "complete", lectureId: String(lecture.id) },
    { cookie: student.cookie },
  );
}

const certificateOf = (student: Student) =>
  env.DB.prepare("select * from certificates where user_id = ?")
    .bind(student.id)
    .first<{ id: string; recipient_name: string; revoked_at: number | null }>();

describe("certificates", () => {
  let last: { id: number; slug: string; module_slug: string };
  let graduate: Student;
  let adminCookie = "";

  beforeAll(async () => {
    await seedAllContent();
    const { results } = await orderedLectures();
    last = results.at(-1)!;
    const counts = await env.DB.prepare(
      "select (select count(*) from quizzes) as quizzes, (select count(*) from projects where required = 1) as projects",
    ).first<{ quizzes: number; projects: number }>();
    // The rule is only tested if the seed has quizzes and required projects to satisfy.
    expect(counts!.quizzes).toBeGreaterThan(0);
    expect(counts!.projects).toBeGreaterThan(0);

    graduate = await enrolledStudent("grace@example.com", "Grace Hopper");
    await createAccount("registrar@example.com", "signs the certificates", "admin");
    adminCookie = await login("registrar@example.com", "signs the certificates");
  });

  it("is not issued while a quiz is unpassed or a required project unapproved", async () => {
    const noQuizzes = await enrolledStudent("no.quizzes@example.com", "Quincy");
    await completeAllBut(noQuizzes, last);
    await approveEveryRequiredProject(noQuizzes);
    expect((await complete(noQuizzes, last)).status).toBe(200);
    expect(await certificateOf(noQuizzes)).toBeNull();

    const noProjects = await enrolledStudent("no.projects@example.com", "Petra");
    await completeAllBut(noProjects, last);
    await passEveryQuiz(noProjects);
    expect((await complete(noProjects, last)).status).toBe(200);
    expect(await certificateOf(noProjects)).toBeNull();

    // Doing the missing work later issues it, from that write.
    await passEveryQuiz(noQuizzes);
    await complete(noQuizzes, last);
    expect(await certificateOf(noQuizzes)).not.toBeNull();
  });

  it("is issued by the write that completes the programme, once, with the name as it was", async () => {
    await completeAllBut(graduate, last);
    await passEveryQuiz(graduate);
    await approveEveryRequiredProject(graduate);
    expect(await certificateOf(graduate)).toBeNull();

    const responses = await Promise.all([complete(graduate, last), complete(graduate, last)]);
    expect(responses.map((response) => response.status)).toEqual([200, 200]);
    const certificate = await certificateOf(graduate);
    expect(certificate).toMatchObject({ recipient_name: "Grace Hopper", revoked_at: null });
    expect(certificate!.id).toMatch(/^[0-9a-f]{32}$/);

    const again = await complete(graduate, last);
    expect(again.status).toBe(200);
    const { results } = await env.DB.prepare("select id from certificates where user_id = ?").bind(graduate.id).all();
    expect(results).toEqual([{ id: certificate!.id }]);
  });

  it("links the certificate from the student's dashboard", async () => {
    const certificate = (await certificateOf(graduate))!;
    const html = await (await request("/dashboard", { headers: { cookie: graduate.cookie } })).text();
    expect(html).toContain(`/certificates/${certificate.id}`);
  });

  it("is verifiable by anyone with the link, and shows nothing private", async () => {
    const certificate = (await certificateOf(graduate))!;
    const response = await request(`/certificates/${certificate.id}`);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain("Grace Hopper");
    expect(html).toContain("Verified.");
    expect(html).toContain('property="og:title" content="Grace Hopper completed the DevOps Engineering Programme"');
    expect(html).toContain(`<link rel="canonical" href="http://school.test/certificates/${certificate.id}"`);
    expect(html).not.toContain(graduate.email);
    expect(html).not.toContain("Revoke this certificate");

    for (const id of ["0".repeat(32), "not-a-certificate", certificate.id.toUpperCase()]) {
      expect((await request(`/certificates/${id}`)).status, id).toBe(404);
    }
  });

  it("can be revoked by an admin only, stays at its address saying so, and is not re-issued", async () => {
    const certificate = (await certificateOf(graduate))!;
    const path = `/certificates/${certificate.id}`;
    for (const cookie of [undefined, graduate.cookie]) {
      const response = await post(path, { reason: "Plagiarised project work" }, cookie ? { cookie } : {});
      expect(response.status).toBe(404);
    }
    expect((await certificateOf(graduate))!.revoked_at).toBeNull();

    const adminPage = await (await request(path, { headers: { cookie: adminCookie } })).text();
    expect(adminPage).toContain("Revoke this certificate");
    const tooShort = await post(path, { reason: "no" }, { cookie: adminCookie });
    expect(tooShort.status).toBe(400);
    const tooShortHtml = await tooShort.text();
    expect(tooShortHtml).toContain("Say why the certificate is revoked");
    expect(tooShortHtml).toContain('value="no"');
    expect((await certificateOf(graduate))!.revoked_at).toBeNull();

    expect((await post(path, { reason: "Plagiarised project work" }, { cookie: adminCookie })).status).toBe(200);
    const html = await (await request(path)).text();
    expect(html).toContain("This certificate was revoked on");
    expect(html).toContain("Plagiarised project work");
    expect(html).not.toContain("Verified.");

    await complete(graduate, last);
    const after = await certificateOf(graduate);
    expect(after!.id).toBe(certificate.id);
    expect(after!.revoked_at).not.toBeNull();
  });

  it("is never issued to a student without an active enrolment", async () => {
    await createAccount("lapsed@example.com", "working towards it", "student", "Lapsed");
    const id = (await env.DB.prepare("select id from users where email = 'lapsed@example.com'").first<string>("id"))!;
    const lapsed = { email: "lapsed@example.com", id, cookie: await login("lapsed@example.com", "working towards it") };
    await completeAllBut(lapsed, last);
    await passEveryQuiz(lapsed);
    await approveEveryRequiredProject(lapsed);
    await complete(lapsed, last);
    expect(await certificateOf(lapsed)).toBeNull();
  });
});
