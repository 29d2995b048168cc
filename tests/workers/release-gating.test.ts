import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { enrollStudentByAdmin } from "../../db/queries/cohorts.ts";
import { releaseModuleEarly } from "../../db/queries/release-overrides.ts";
import { upsertDemoCohorts } from "../../db/seed/cohorts.ts";
import { enrollStatement } from "../../db/seed/user-statements.ts";
import type { CurrentUser } from "../../worker/auth/context.ts";
import { createAccount, login, post, SAME_ORIGIN } from "./accounts.ts";
import { request, seedAllContent, testDatabase } from "./helpers.ts";

// Batch 3 started 20 days ago: Linux is released, Docker (day 29) is not. Every path to
// Docker's material refuses a Batch 3 student until an admin releases it for them.

type ErrorBody = { error: { code: string; message: string } };

const EMAILS = {
  admin: "gate.admin@example.com",
  cohort: "gate.cohort@example.com",
  peer: "gate.peer@example.com",
  free: "gate.free@example.com",
};
const PASSWORD = "keeps the gates shut";
const cookies = { admin: "", cohort: "", peer: "", free: "" };
const LECTURE_PAGE = "/modules/docker/writing-good-dockerfiles";
const QUIZ_PAGE = "/modules/docker/quiz";
const PROJECT_PAGE = "/modules/docker/project";
let admin: CurrentUser;
let dockerLectureId = 0;
let linuxLectureId = 0;

const headers = (who: keyof typeof cookies, extra: Record<string, string> = {}) => ({
  ...SAME_ORIGIN,
  cookie: cookies[who],
  ...extra,
});

const getQuiz = (slug: string, who: keyof typeof cookies) =>
  request(`/api/modules/${slug}/quiz`, { headers: headers(who) });

const postAttempt = (who: keyof typeof cookies) =>
  request("/api/modules/docker/quiz/attempts", {
    method: "POST",
    headers: headers(who, { "content-type": "application/json" }),
    body: JSON.stringify({ answers: {} }),
  });

const savePosition = (who: keyof typeof cookies, lectureId: number) =>
  request(`/api/progress/${lectureId}/position`, {
    method: "POST",
    headers: headers(who, { "content-type": "application/json" }),
    body: JSON.stringify({ seconds: 42 }),
  });

const complete = (who: keyof typeof cookies, lectureId: number) =>
  request(`/api/progress/${lectureId}/complete`, { method: "POST", headers: headers(who) });

function submitProject(who: keyof typeof cookies) {
  const form = new FormData();
  form.set("repoUrl", "https://github.com/early/docker-service");
  form.set("notes", "A multi-stage Dockerfile and a Compose file.");
  form.set("file", new File([], "", { type: "application/octet-stream" }));
  return request(PROJECT_PAGE, { method: "POST", headers: headers(who), body: form });
}

async function count(table: string, email: string, extra = "") {
  return env.DB.prepare(
    `select count(*) as n from ${table} t join users u on u.id = t.user_id where u.email = ? ${extra}`,
  )
    .bind(email)
    .first<number>("n");
}

async function errorOf(response: Response) {
  return ((await response.json()) as ErrorBody).error;
}

beforeAll(async () => {
  await seedAllContent();
  await upsertDemoCohorts(testDatabase());
  await createAccount(EMAILS.admin, PASSWORD, "admin");
  for (const email of [EMAILS.cohort, EMAILS.peer, EMAILS.free]) await createAccount(email, PASSWORD);
  const row = await env.DB.prepare("select id, name, email, role from users where email = ?")
    .bind(EMAILS.admin)
    .first<CurrentUser>();
  admin = { ...row!, emailVerified: true };
  for (const email of [EMAILS.cohort, EMAILS.peer]) {
    expect((await enrollStudentByAdmin(testDatabase(), admin, email, "batch-3")).ok).toBe(true);
  }
  await env.DB.prepare(enrollStatement(EMAILS.free, "gate-free-enrolment")).run();
  for (const who of Object.keys(cookies) as Array<keyof typeof cookies>) {
    cookies[who] = await login(EMAILS[who], PASSWORD);
  }
  const id = (slug: string) =>
    env.DB.prepare("select id from lectures where slug = ?").bind(slug).first<number>("id") as Promise<number>;
  dockerLectureId = await id("writing-good-dockerfiles");
  linuxLectureId = await id("users-groups-and-permissions");
});

describe("an unreleased module for a cohort student", () => {
  it("refuses the quiz API with NOT_RELEASED and the opening date, and records no attempt", async () => {
    const read = await getQuiz("docker", "cohort");
    expect(read.status).toBe(403);
    const error = await errorOf(read);
    expect(error.code).toBe("NOT_RELEASED");
    expect(error.message).toMatch(/opens on \d{1,2} \w+ \d{4}(,| at) 09:00 \(Asia\/Bishkek\)/);

    const attempt = await postAttempt("cohort");
    expect(attempt.status).toBe(403);
    expect((await errorOf(attempt)).code).toBe("NOT_RELEASED");
    expect(await count("quiz_attempts", EMAILS.cohort)).toBe(0);

    expect((await getQuiz("linux", "cohort")).status).toBe(200);
  });

  it("shows a locked quiz page saying when it opens, without its questions", async () => {
    const response = await request(QUIZ_PAGE, { headers: headers("cohort") });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain("This quiz opens with its module");
    expect(html).toMatch(/Opens on <time dateTime="[^"]+">[^<]*09:00 \(Asia\/Bishkek\)<\/time>/);
    expect(html).not.toMatch(/name="[qm]-\d+"/);

    const refused = await post(QUIZ_PAGE, { "q-1": "a" }, { cookie: cookies.cohort });
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain("opens on");
    expect(await count("quiz_attempts", EMAILS.cohort)).toBe(0);
  });

  it("shows the project's title and summary, not its brief, and refuses a submission", async () => {
    const html = await (await request(PROJECT_PAGE, { headers: headers("cohort") })).text();
    expect(html).toContain("Containerise a web service with Docker and Compose");
    expect(html).toContain("The brief opens with its module");
    expect(html).not.toContain("Acceptance criteria");

    const refused = await submitProject("cohort");
    expect(refused.status).toBe(403);
    expect(await refused.text()).toMatch(/opens on [^<]*09:00 \(Asia\/Bishkek\)/);
    expect(await count("project_submissions", EMAILS.cohort)).toBe(0);
  });

  it("records no progress, video position or note on its lectures", async () => {
    const position = await savePosition("cohort", dockerLectureId);
    expect(position.status).toBe(403);
    expect((await errorOf(position)).code).toBe("NOT_RELEASED");
    const done = await complete("cohort", dockerLectureId);
    expect(done.status).toBe(403);
    expect((await errorOf(done)).message).toContain("opens on");

    const form = await post(
      LECTURE_PAGE,
      { intent: "complete", lectureId: String(dockerLectureId) },
      { cookie: cookies.cohort },
    );
    expect(form.status).toBe(403);
    expect(await form.text()).toMatch(/This lecture opens on .+ for your cohort\./);
    const note = await post(
      LECTURE_PAGE,
      { intent: "note", lectureId: String(dockerLectureId), body: "written too early" },
      { cookie: cookies.cohort },
    );
    expect(note.status).toBe(403);
    expect(await count("lecture_progress", EMAILS.cohort)).toBe(0);
    expect(await count("lecture_notes", EMAILS.cohort)).toBe(0);

    expect((await savePosition("cohort", linuxLectureId)).status).toBe(204);
  });

  it("leaves admins and students without a cohort unaffected", async () => {
    expect((await getQuiz("docker", "admin")).status).toBe(200);
    expect((await getQuiz("docker", "free")).status).toBe(200);
    expect((await savePosition("free", dockerLectureId)).status).toBe(204);
    const html = await (await request(PROJECT_PAGE, { headers: headers("free") })).text();
    expect(html).toContain("Acceptance criteria");
  });
});

describe("an admin's early release", () => {
  it("opens the quiz, the project and lecture writes for that student only", async () => {
    const released = await releaseModuleEarly(testDatabase(), admin, {
      cohortSlug: "batch-3",
      studentEmail: EMAILS.cohort,
      moduleSlug: "docker",
    });
    expect(released).toEqual({ ok: true });

    expect((await getQuiz("docker", "cohort")).status).toBe(200);
    const quizPage = await (await request(QUIZ_PAGE, { headers: headers("cohort") })).text();
    expect(quizPage).toMatch(/name="[qm]-\d+"/);
    const projectPage = await (await request(PROJECT_PAGE, { headers: headers("cohort") })).text();
    expect(projectPage).toContain("Acceptance criteria");
    expect((await submitProject("cohort")).status).toBe(302);
    expect(await count("project_submissions", EMAILS.cohort)).toBe(1);
    expect((await savePosition("cohort", dockerLectureId)).status).toBe(204);
    expect((await complete("cohort", dockerLectureId)).status).toBe(204);
    const note = await post(
      LECTURE_PAGE,
      { intent: "note", lectureId: String(dockerLectureId), body: "released early" },
      { cookie: cookies.cohort },
    );
    expect(note.status).toBe(200);
    expect(await count("lecture_notes", EMAILS.cohort)).toBe(1);

    const peer = await getQuiz("docker", "peer");
    expect(peer.status).toBe(403);
    expect((await errorOf(peer)).code).toBe("NOT_RELEASED");
    expect((await savePosition("peer", dockerLectureId)).status).toBe(403);
    expect((await submitProject("peer")).status).toBe(403);
    expect(await count("lecture_progress", EMAILS.peer)).toBe(0);
    expect(await count("project_submissions", EMAILS.peer)).toBe(0);
  });
});
