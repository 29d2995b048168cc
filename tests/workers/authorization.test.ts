import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import * as build from "../../build/server/index.js";
import { api } from "../../worker/api/index.ts";
import { media } from "../../worker/media.ts";
import { createAccount, login } from "./accounts.ts";
import { enrollStatement } from "../../db/seed/user-statements.ts";
import { upsertDemoCohorts } from "../../db/seed/cohorts.ts";
import { request, seedAllContent, testDatabase } from "./helpers.ts";

// Every route of the app, from the route tables themselves, with who may use it. A new
// route fails this test until it is listed here, and then until it behaves as listed.
type Access =
  | "public" // everyone
  | "guest" // signed-out visitors; members are sent to /dashboard
  | "user" // signed-in members; visitors are sent to /login
  | "admin" // admins; everyone else gets 404, as if it did not exist
  | "owner" // only the member whose record it is; other members get 404, visitors are asked to log in
  | "owner-or-admin" // the member whose record it is and admins; everyone else, visitors included, gets 404
  | "post-only" // no page: GET is refused for everyone
  | "missing"; // the catch-all 404

// `status` when a route's normal answer for this path is not 200 (a bad token is a 400 for everyone).
// `{attempt}`, `{submission}`, `{certificate}` and `{student}` (their account) in a path are the first student's, made in beforeAll.
type RouteAccess = { path: string; access: Access; status?: number };

const PAGES: Record<string, RouteAccess> = {
  root: { path: "/", access: "public" },
  "routes/_index": { path: "/", access: "public" },
  "routes/$": { path: "/no-such-page", access: "missing" },
  "routes/modules._index": { path: "/modules", access: "public" },
  "routes/modules.$module._index": { path: "/modules/docker", access: "public" },
  "routes/modules.$module.$lecture": { path: "/modules/docker/writing-good-dockerfiles", access: "public" },
  "routes/search": { path: "/search?q=docker", access: "public" },
  "routes/verify-email": { path: "/verify-email?token=not-a-token", access: "public", status: 400 },
  "routes/reset-password": { path: "/reset-password?token=not-a-token", access: "public" },
  "routes/forgot-password": { path: "/forgot-password", access: "public" },
  "routes/dev.outbox": { path: "/dev/outbox", access: "public" }, // local mode only; absent in production
  "routes/login": { path: "/login", access: "guest" },
  "routes/register": { path: "/register", access: "guest" },
  "routes/account": { path: "/account", access: "user" },
  "routes/dashboard": { path: "/dashboard", access: "user" },
  "routes/notes._index": { path: "/notes", access: "user" },
  "routes/notes.export": { path: "/notes/export", access: "user" },
  "routes/modules.$module.quiz": { path: "/modules/linux/quiz", access: "user" },
  "routes/modules.$module.quiz_.attempts.$attempt": { path: "/modules/linux/quiz/attempts/{attempt}", access: "owner" },
  "routes/modules.$module.project": { path: "/modules/linux/project", access: "public" },
  "routes/projects._index": { path: "/projects", access: "public" },
  "routes/submissions.$submission.file": { path: "/submissions/{submission}/file", access: "owner-or-admin" },
  "routes/practice._index": { path: "/practice", access: "user" },
  "routes/practice.$topic": { path: "/practice/linux", access: "user" },
  "routes/certificates.$certificate": { path: "/certificates/{certificate}", access: "public" },
  "routes/modules.$module.$lecture_.discussion": {
    path: "/modules/docker/containers-from-first-principles/discussion",
    access: "public",
  },
  "routes/notifications._index": { path: "/notifications", access: "user" },
  "routes/announcements._index": { path: "/announcements", access: "user" },
  "routes/admin": { path: "/admin", access: "admin" },
  "routes/admin._index": { path: "/admin", access: "admin" },
  "routes/admin.projects._index": { path: "/admin/projects", access: "admin" },
  "routes/admin.projects.$submission": { path: "/admin/projects/{submission}", access: "admin" },
  "routes/admin.announcements": { path: "/admin/announcements", access: "admin" },
  "routes/admin.moderation": { path: "/admin/moderation", access: "admin" },
  "routes/admin.audit": { path: "/admin/audit", access: "admin" },
  "routes/admin.cohorts._index": { path: "/admin/cohorts", access: "admin" },
  "routes/admin.cohorts.$cohort": { path: "/admin/cohorts/batch-4", access: "admin" },
  "routes/admin.cohorts.new": { path: "/admin/cohorts/new", access: "admin" },
  "routes/admin.cohorts.$cohort_.edit": { path: "/admin/cohorts/batch-4/edit", access: "admin" },
  "routes/admin.cohorts.$cohort_.roster[.]csv": { path: "/admin/cohorts/batch-4/roster.csv", access: "admin" },
  "routes/admin.students._index": { path: "/admin/students?q=student", access: "admin" },
  "routes/admin.students.$userId": { path: "/admin/students/{student}", access: "admin" },
  "routes/admin.lectures.$lectureId_.files": { path: "/admin/lectures/1/files", access: "admin" },
  "routes/admin.modules._index": { path: "/admin/modules", access: "admin" },
  "routes/admin.modules.new": { path: "/admin/modules/new", access: "admin" },
  "routes/admin.modules.$moduleId": { path: "/admin/modules/1", access: "admin" },
  "routes/admin.modules.$moduleId_.lectures.new": { path: "/admin/modules/1/lectures/new", access: "admin" },
  "routes/admin.lectures.$lectureId": { path: "/admin/lectures/1", access: "admin" },
  "routes/admin.lectures.$lectureId_.history": { path: "/admin/lectures/1/history", access: "admin" },
  "routes/admin.import": { path: "/admin/import", access: "admin" },
  "routes/admin.payments": { path: "/admin/payments", access: "admin" },
  "routes/admin.coupons": { path: "/admin/coupons", access: "admin" },
  "routes/join": { path: "/join", access: "public" },
  "routes/billing": { path: "/billing", access: "user" },
  "routes/checkout.success": { path: "/checkout/success?checkout={checkout}", access: "owner" },
  "routes/checkout.cancel": { path: "/checkout/cancel?checkout={checkout}", access: "owner" },
  "routes/logout": { path: "/logout", access: "post-only" },
  "routes/theme": { path: "/theme", access: "post-only" },
};

const API: Record<string, RouteAccess> = {
  "GET /health": { path: "/api/health", access: "public" },
  "GET /modules": { path: "/api/modules", access: "public" },
  "GET /modules/:module": { path: "/api/modules/docker", access: "public" },
  "GET /modules/:module/lectures/:lecture": {
    // A free preview; locked lectures are covered in access.test.ts.
    path: "/api/modules/docker/lectures/containers-from-first-principles",
    access: "public",
  },
  "GET /search": { path: "/api/search?q=docker", access: "public" },
  "GET /me": { path: "/api/me", access: "user" },
  "GET /modules/:module/quiz": { path: "/api/modules/linux/quiz", access: "user" },
  "GET /modules/:module/quiz/attempts": { path: "/api/modules/linux/quiz/attempts", access: "user" },
  // Shares its path with the history above; who may submit is covered in quizzes.test.ts.
  "POST /modules/:module/quiz/attempts": { path: "/api/modules/linux/quiz/attempts", access: "user" },
  "GET /modules/:module/quiz/attempts/:attemptId": {
    path: "/api/modules/linux/quiz/attempts/{attempt}",
    access: "owner",
  },
  // Writes: GET is refused; who may POST is covered in media.test.ts and learning.test.ts.
  "POST /progress/:lectureId/position": { path: "/api/progress/1/position", access: "post-only" },
  "POST /progress/:lectureId/complete": { path: "/api/progress/1/complete", access: "post-only" },
  "GET /announcements": { path: "/api/announcements?after=0", access: "user" },
  "POST /announcements/read": { path: "/api/announcements/read", access: "post-only" },
  // A plain GET is not a WebSocket upgrade (400); who may upgrade is covered in announcements.test.ts.
  "GET /live": { path: "/api/live", access: "user", status: 400 },
  "GET /admin/overview": { path: "/api/admin/overview", access: "admin" },
  // The editor's live preview: GET is refused; admins-only POST is in admin-content.test.ts.
  "POST /admin/preview": { path: "/api/admin/preview", access: "post-only" },
  // Lecture file uploads: the writes refuse GET; admins-only for every method is in admin-uploads.test.ts.
  "POST /admin/uploads": { path: "/api/admin/uploads", access: "post-only" },
  "GET /admin/uploads/:id": { path: "/api/admin/uploads/{upload}", access: "admin" },
  "DELETE /admin/uploads/:id": { path: "/api/admin/uploads/{upload}", access: "admin" },
  "PUT /admin/uploads/:id/parts/:n": { path: "/api/admin/uploads/{upload}/parts/1", access: "post-only" },
  "POST /admin/uploads/:id/complete": { path: "/api/admin/uploads/{upload}/complete", access: "post-only" },
  "POST /checkout": { path: "/api/checkout", access: "post-only" },
  "GET /checkout/:checkoutId": { path: "/api/checkout/{checkout}", access: "owner" },
  "POST /checkout/:checkoutId/cancel": { path: "/api/checkout/{checkout}/cancel", access: "post-only" },
  "POST /stripe/webhook": { path: "/api/stripe/webhook", access: "post-only" },
  "ALL /*": { path: "/api/no-such-route", access: "missing" },
};

// Lecture media (worker/media.ts). The free preview's video is public; locked ones are in media.test.ts.
const MEDIA: Record<string, RouteAccess> = {
  "GET /:module/:lecture/:asset": { path: "/media/linux/the-shell-and-filesystem/captions", access: "public" },
  "GET /:module/:lecture/files/:fileId": {
    path: "/media/linux/the-shell-and-filesystem/files/{lectureFile}",
    access: "public",
  },
};

type Actor = "anonymous" | "student" | "other student" | "admin";
const cookies: Record<Actor, string | undefined> = {
  anonymous: undefined,
  student: "",
  "other student": "",
  admin: "",
};

const PRIVATE_EMAIL = "private.student@example.com";

function expectAccess(
  { access, status = 200 }: RouteAccess,
  actor: Actor,
  response: Response,
  body: string,
  label: string,
) {
  const signedIn = actor !== "anonymous";
  switch (access) {
    case "public":
      return expect(response.status, label).toBe(status);
    case "missing":
      return expect(response.status, label).toBe(404);
    case "post-only":
      return expect(response.status, label).toBeGreaterThanOrEqual(400);
    case "guest":
      if (!signedIn) return expect(response.status, label).toBe(200);
      expect(response.status, label).toBe(302);
      return expect(response.headers.get("location"), label).toBe("/dashboard");
    case "user":
      if (!signedIn && label.includes("/api/")) return expect(response.status, label).toBe(401);
      if (!signedIn) {
        expect(response.status, label).toBe(302);
        return expect(response.headers.get("location"), label).toMatch(/^\/login\?redirectTo=/);
      }
      expect(response.status, label).toBe(status);
      // Nobody sees another member's data.
      if (actor !== "student") expect(body, label).not.toContain(PRIVATE_EMAIL);
      return;
    case "owner":
      if (!signedIn && label.includes("/api/")) return expect(response.status, label).toBe(401);
      if (!signedIn) {
        expect(response.status, label).toBe(302);
        return expect(response.headers.get("location"), label).toMatch(/^\/login\?redirectTo=/);
      }
      return expect(response.status, label).toBe(actor === "student" ? 200 : 404);
    case "owner-or-admin":
      return expect(response.status, label).toBe(actor === "student" || actor === "admin" ? 200 : 404);
    case "admin":
      if (actor === "admin") return expect(response.status, label).toBe(200);
      expect(response.status, label).toBe(404);
      // `"students":` as a JSON key: the route manifest of a 404 under /admin/students names its path "students".
      return expect(body, label).not.toMatch(/Newest accounts|"students":/);
  }
}

function routeKeys(app: typeof api | typeof media): string[] {
  // Middleware registered with .use() shows up as ALL routes too; handlers are what we list.
  const keys = app.routes
    .filter((route) => !(route.method === "ALL" && route.path !== "/*"))
    .map((route) => `${route.method} ${route.path.replace(/\/$/, "") || "/"}`);
  return [...new Set(keys)];
}

const records = {
  attempt: "",
  submission: "",
  certificate: "",
  upload: "",
  lectureFile: "",
  student: "",
  checkout: "",
};

/** One of each per-student record, owned by the first student, for the `owner` routes. */
async function createStudentRecords(studentEmail: string) {
  const student = "(select id from users where email = ?)";
  records.student = (await env.DB.prepare("select id from users where email = ?")
    .bind(studentEmail)
    .first<string>("id"))!;
  records.attempt = crypto.randomUUID();
  records.submission = crypto.randomUUID();
  records.certificate = crypto.randomUUID().replaceAll("-", "");
  records.checkout = crypto.randomUUID();
  const fileKey = `submissions/matrix/${records.submission}/diagram`;
  await env.LECTURE_ASSETS.put(fileKey, "%PDF-1.7\n", { httpMetadata: { contentType: "application/pdf" } });
  await env.DB.batch([
    env.DB.prepare(
      `insert into quiz_attempts (id, user_id, quiz_id, correct_count, question_count, score_percent, passed, feedback_json)
       select ?, ${student}, quizzes.id, 0, 1, 0, 0, '[]' from quizzes join modules on modules.id = quizzes.module_id
       where modules.slug = 'linux'`,
    ).bind(records.attempt, studentEmail),
    env.DB.prepare(
      `insert into project_submissions (id, project_id, user_id, repo_url, file_key, file_name, file_type, file_size)
       select ?, projects.id, ${student}, 'https://github.com/example/linux-lab', ?, 'diagram.pdf', 'application/pdf', 9
       from projects join modules on modules.id = projects.module_id where modules.slug = 'linux'`,
    ).bind(records.submission, studentEmail, fileKey),
    env.DB.prepare(
      `insert into certificates (id, user_id, recipient_name, course_title, lecture_count, issued_at)
       values (?, ${student}, 'Private Student', 'DevOps Engineering Programme', 34, unixepoch())`,
    ).bind(records.certificate, studentEmail),
    env.DB.prepare(
      `insert into checkouts (id, user_id, kind, status, expires_at) values (?, ${student}, 'subscription', 'open', unixepoch() + 3600)`,
    ).bind(records.checkout, studentEmail),
  ]);
}

/** A file of the free preview lecture and an unfinished upload to it, for the lecture file routes. */
async function createLectureFileRecords() {
  const lecture = "(select id from lectures where slug = 'the-shell-and-filesystem')";
  records.upload = crypto.randomUUID();
  records.lectureFile = crypto.randomUUID();
  const key = `lectures/matrix/files/${records.lectureFile}`;
  await env.LECTURE_ASSETS.put(key, "%PDF-1.7\n", { httpMetadata: { contentType: "application/pdf" } });
  await env.DB.batch([
    env.DB.prepare(
      `insert into lecture_files (id, lecture_id, key, file_name, content_type, size)
       values (?, ${lecture}, ?, 'handout.pdf', 'application/pdf', 9)`,
    ).bind(records.lectureFile, key),
    env.DB.prepare(
      `insert into uploads (id, lecture_id, key, r2_upload_id, file_name, content_type, size, part_size)
       values (?, ${lecture}, 'lectures/matrix/files/unfinished', 'r2-upload', 'talk.mp4', 'video/mp4', 10, 8388608)`,
    ).bind(records.upload),
  ]);
}

const withRecords = (path: string) =>
  path.replace(
    /\{(attempt|submission|certificate|upload|lectureFile|student|checkout)\}/,
    (_, name: keyof typeof records) => records[name],
  );

describe("authorization matrix", () => {
  beforeAll(async () => {
    await seedAllContent();
    await upsertDemoCohorts(testDatabase());
    const videoKey = await env.DB.prepare(
      "select video_asset_key from lectures where slug = 'the-shell-and-filesystem'",
    ).first<string>("video_asset_key");
    await env.LECTURE_ASSETS.put(`${videoKey}.vtt`, "WEBVTT\n", { httpMetadata: { contentType: "text/vtt" } });
    await createAccount(PRIVATE_EMAIL, "student one secret", "student", "Private Student");
    await createAccount("other.student@example.com", "student two secret");
    await createAccount("staff@example.com", "admin staff secret", "admin");
    // Both students are enrolled: what enrolment opens is covered where it is built (learning, quizzes, projects).
    for (const email of [PRIVATE_EMAIL, "other.student@example.com"]) {
      await env.DB.prepare(enrollStatement(email, crypto.randomUUID())).run();
    }
    await createStudentRecords(PRIVATE_EMAIL);
    await createLectureFileRecords();
    cookies.student = await login(PRIVATE_EMAIL, "student one secret");
    cookies["other student"] = await login("other.student@example.com", "student two secret");
    cookies.admin = await login("staff@example.com", "admin staff secret");
  });

  it("declares an access level for every page route", () => {
    expect(Object.keys(build.routes).sort()).toEqual(Object.keys(PAGES).sort());
  });

  it("declares an access level for every API route", () => {
    expect(routeKeys(api).sort()).toEqual(Object.keys(API).sort());
  });

  it("declares an access level for every media route", () => {
    expect(routeKeys(media).sort()).toEqual(Object.keys(MEDIA).sort());
  });

  const routes = [...Object.entries(PAGES), ...Object.entries(API), ...Object.entries(MEDIA)];
  const actors: Actor[] = ["anonymous", "student", "other student", "admin"];

  it.each(actors)("holds for every route, as %s", async (actor) => {
    for (const [id, route] of routes) {
      const cookie = cookies[actor];
      const path = withRecords(route.path);
      const response = await request(path, { headers: cookie ? { cookie } : {} });
      expectAccess(route, actor, response, await response.text(), `${actor} → ${id} (${path})`);
    }
  });

  it("never shows admin links to non-admins", async () => {
    for (const actor of ["anonymous", "student"] as const) {
      const cookie = cookies[actor];
      const html = await (await request("/modules", { headers: cookie ? { cookie } : {} })).text();
      expect(html, actor).not.toContain('href="/admin"');
    }
    const adminHtml = await (await request("/modules", { headers: { cookie: cookies.admin! } })).text();
    expect(adminHtml).toContain('href="/admin"');
  });
});
