import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { enrollStatement } from "../../db/seed/user-statements.ts";
import { createAccount, login, post, SAME_ORIGIN } from "./accounts.ts";
import { request, seedAllContent } from "./helpers.ts";

// One student's records (a note, progress, a quiz attempt, a project submission with a file)
// against every way another signed-in student or a visitor could reach them by id or by
// page. Nobody but the owner reads them, nobody but the owner (or, for reviews, an admin)
// changes them, and every refused attempt leaves the owner's rows exactly as they were.

const LECTURE = { module: "linux", slug: "users-groups-and-permissions" };
const LECTURE_PATH = `/modules/${LECTURE.module}/${LECTURE.slug}`;
const NOTE = "Owner's private note: sudoers lives in /etc/sudoers.d";
const REPO = "https://github.com/owner-only/linux-lab";
const PDF = new Uint8Array([0x25, 0x50, 0x44, 0x46, 0x2d, 0x31, 0x2e, 0x37, 0x0a, 0x25, 0xe2, 0xe3]);

const cookies = { owner: "", intruder: "", admin: "" };
const ids = { owner: "", lecture: 0, attempt: "", submission: "", fileKey: "" };

async function userId(email: string) {
  return (await env.DB.prepare("select id from users where email = ?").bind(email).first<string>("id"))!;
}

/** Everything the owner has, as rows: compared before and after each intrusion. */
async function ownerState() {
  const owned = (table: string) =>
    env.DB.prepare(`select * from ${table} where user_id = ? order by 1`).bind(ids.owner).all();
  const [notes, progress, attempts, submissions] = await Promise.all(
    ["lecture_notes", "lecture_progress", "quiz_attempts", "project_submissions"].map(owned),
  );
  const file = await env.LECTURE_ASSETS.head(ids.fileKey);
  return {
    notes: notes!.results,
    progress: progress!.results,
    attempts: attempts!.results,
    submissions: submissions!.results,
    file: file?.size ?? null,
  };
}

async function json(path: string, body: unknown, cookie: string) {
  return request(path, {
    method: "POST",
    headers: { ...SAME_ORIGIN, cookie, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
}

describe("another student's records (IDOR)", () => {
  beforeAll(async () => {
    await seedAllContent();
    await createAccount("owner@example.com", "owner of the records", "student", "Olive Owner");
    await createAccount("intruder@example.com", "curious about ids", "student", "Ivan Intruder");
    await createAccount("reviewer@example.com", "reviews projects", "admin");
    for (const email of ["owner@example.com", "intruder@example.com"]) {
      await env.DB.prepare(enrollStatement(email, crypto.randomUUID())).run();
    }
    cookies.owner = await login("owner@example.com", "owner of the records");
    cookies.intruder = await login("intruder@example.com", "curious about ids");
    cookies.admin = await login("reviewer@example.com", "reviews projects");
    ids.owner = await userId("owner@example.com");
    ids.lecture = (await env.DB.prepare("select id from lectures where slug = ?")
      .bind(LECTURE.slug)
      .first<number>("id"))!;

    // The owner's records, made through the real pages and API.
    const lectureId = String(ids.lecture);
    expect(
      (await post(LECTURE_PATH, { intent: "note", lectureId, body: NOTE }, { cookie: cookies.owner })).status,
    ).toBe(200);
    expect((await post(LECTURE_PATH, { intent: "complete", lectureId }, { cookie: cookies.owner })).status).toBe(200);
    expect((await json(`/api/progress/${lectureId}/position`, { seconds: 42 }, cookies.owner)).status).toBe(204);

    const quiz = (await (await request("/api/modules/linux/quiz", { headers: { cookie: cookies.owner } })).json()) as {
      questions: Array<{ id: number; kind: string; options: Array<{ id: string }> }>;
    };
    const answers = Object.fromEntries(
      quiz.questions.map((question) => [
        question.id,
        question.kind === "short"
          ? "ls"
          : question.kind === "multiple"
            ? [question.options[0]!.id]
            : question.options[0]!.id,
      ]),
    );
    const attempt = await json("/api/modules/linux/quiz/attempts", { answers }, cookies.owner);
    expect(attempt.status).toBe(201);
    ids.attempt = ((await attempt.json()) as { attempt: { id: string } }).attempt.id;

    const form = new FormData();
    form.set("repoUrl", REPO);
    form.set("notes", "My lab notes");
    form.set("file", new File([PDF], "diagram.pdf", { type: "application/pdf" }));
    const submitted = await request("/modules/linux/project", {
      method: "POST",
      headers: { ...SAME_ORIGIN, cookie: cookies.owner },
      body: form,
    });
    expect(submitted.status).toBeLessThan(400);
    const submission = await env.DB.prepare("select id, file_key from project_submissions where user_id = ?")
      .bind(ids.owner)
      .first<{ id: string; file_key: string }>();
    ids.submission = submission!.id;
    ids.fileKey = submission!.file_key;
  });

  it("never shows them on another student's pages or API responses", async () => {
    const reads = [
      LECTURE_PATH,
      "/notes",
      "/notes/export",
      "/dashboard",
      "/modules/linux",
      "/modules/linux/quiz",
      "/modules/linux/project",
      "/api/modules/linux/quiz/attempts",
      `/api/modules/${LECTURE.module}/lectures/${LECTURE.slug}`,
    ];
    for (const path of reads) {
      const response = await request(path, { headers: { cookie: cookies.intruder } });
      expect(response.status, path).toBe(200);
      const body = await response.text();
      for (const secret of [NOTE, "sudoers lives", REPO, ids.attempt, ids.submission]) {
        expect(body, `${path} shows ${secret}`).not.toContain(secret);
      }
    }
    const lecture = await (await request(LECTURE_PATH, { headers: { cookie: cookies.intruder } })).text();
    expect(lecture).not.toContain("You completed this lecture");
  });

  it("answers 404 to another student and to visitors asking for them by id", async () => {
    const byId = [
      `/modules/linux/quiz/attempts/${ids.attempt}`,
      `/api/modules/linux/quiz/attempts/${ids.attempt}`,
      `/submissions/${ids.submission}/file`,
      `/admin/projects/${ids.submission}`,
    ];
    for (const path of byId) {
      const intruder = await request(path, { headers: { cookie: cookies.intruder } });
      expect(intruder.status, `intruder → ${path}`).toBe(404);
      expect(await intruder.text(), path).not.toContain(REPO);
      const visitor = await request(path);
      expect([302, 401, 404], `visitor → ${path}`).toContain(visitor.status);
      if (visitor.status === 302) expect(visitor.headers.get("location")).toMatch(/^\/login\?redirectTo=/);
    }
    // The owner does get them: the ids are real.
    for (const path of byId.slice(0, 3)) {
      expect((await request(path, { headers: { cookie: cookies.owner } })).status, `owner → ${path}`).toBe(200);
    }
  });

  it("leaves them untouched by another student's writes, whatever ids the requests carry", async () => {
    const before = await ownerState();
    const lectureId = String(ids.lecture);
    const asIntruder = { cookie: cookies.intruder };
    const writes = [
      // Forms carry no owner: extra fields naming the owner are ignored, writes land on the intruder's own rows.
      post(LECTURE_PATH, { intent: "note", lectureId, body: "overwritten", userId: ids.owner }, asIntruder),
      post(LECTURE_PATH, { intent: "incomplete", lectureId, userId: ids.owner }, asIntruder),
      json(`/api/progress/${lectureId}/position`, { seconds: 1, userId: ids.owner }, cookies.intruder),
      json(`/api/progress/${lectureId}/complete`, { userId: ids.owner }, cookies.intruder),
      // Reviews are for admins: a student posting one gets the admin 404.
      post(`/admin/projects/${ids.submission}`, { decision: "approve", feedback: "" }, asIntruder),
      post(`/admin/projects/${ids.submission}`, { decision: "request_changes", feedback: "Redo it" }, asIntruder),
      // Nothing to write at these addresses; they must not become a way in.
      post(`/modules/linux/quiz/attempts/${ids.attempt}`, { "q-1": "a" }, asIntruder),
      post(`/submissions/${ids.submission}/file`, {}, asIntruder),
      request(`/api/modules/linux/quiz/attempts/${ids.attempt}`, {
        method: "DELETE",
        headers: { ...SAME_ORIGIN, ...asIntruder },
      }),
    ];
    const statuses = (await Promise.all(writes)).map((response) => response.status);
    for (const status of statuses.slice(4)) expect(status).toBeGreaterThanOrEqual(400);
    expect(statuses.slice(4, 6)).toEqual([404, 404]);

    expect(await ownerState()).toEqual(before);
    // The intruder's own note is where their write went.
    const theirs = await env.DB.prepare("select body_markdown from lecture_notes where user_id = ?")
      .bind(await userId("intruder@example.com"))
      .first<string>("body_markdown");
    expect(theirs).toBe("overwritten");
  });

  it("lets an admin review the submission, and no one read the owner's notes", async () => {
    const review = await post(
      `/admin/projects/${ids.submission}`,
      { decision: "request_changes", feedback: "Add the sudoers drop-in file" },
      { cookie: cookies.admin },
    );
    expect(review.status).toBeLessThan(400);
    const status = await env.DB.prepare("select status from project_submissions where id = ?")
      .bind(ids.submission)
      .first<string>("status");
    expect(status).toBe("changes_requested");
    expect((await request(`/submissions/${ids.submission}/file`, { headers: { cookie: cookies.admin } })).status).toBe(
      200,
    );
    // Admins see everything about the course, never a student's private notes.
    for (const path of ["/notes", "/notes/export", LECTURE_PATH, `/admin/projects/${ids.submission}`]) {
      const body = await (await request(path, { headers: { cookie: cookies.admin } })).text();
      expect(body, path).not.toContain(NOTE);
    }
  });
});
