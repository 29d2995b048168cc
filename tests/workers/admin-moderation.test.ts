import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../db/client.ts";
import { discussionPostUrl } from "../../db/queries/discussion-limits.ts";
import { reviewSubmission } from "../../db/queries/projects.ts";
import { enrollStatement } from "../../db/seed/user-statements.ts";
import type { CurrentUser } from "../../worker/auth/context.ts";
import { createAccount, login, post } from "./accounts.ts";
import { request, seedAllContent, serverTiming, testDatabase } from "./helpers.ts";

// The moderation queues, and the audit entry every admin action leaves: exactly one, by the
// admin who acted, written in the same batch as the change (so a refused change leaves none).

const MODERATION = "/admin/moderation";
const PREVIEW = "/modules/linux/the-shell-and-filesystem/discussion";
const PASSWORD = "moderates with care";
const STUDENTS = ["alice", "bob", "carol"] as const;
const cookies: Record<string, string> = {};
const ids: Record<string, string> = {};

const page = (path: string, who?: string) => request(path, { headers: who ? { cookie: cookies[who]! } : {} });
const send = (path: string, who: string | null, fields: Record<string, string>) =>
  post(path, fields, who ? { cookie: cookies[who]! } : {});
const one = <T>(sql: string, ...values: unknown[]) =>
  env.DB.prepare(sql)
    .bind(...values)
    .first<T>();
const count = async (sql: string, ...values: unknown[]) => (await one<{ n: number }>(sql, ...values))!.n;

type AuditRow = { actor_id: string; actor_email: string; action: string; target_type: string; target_id: string };
const auditCount = () => count("select count(*) as n from audit_log");
const lastAudit = () => one<AuditRow & { summary: string }>("select * from audit_log order by id desc limit 1");

/**
 * Runs an admin action and checks it left exactly one audit entry, by `who`, with `action`
 * on `target`. Returns the response.
 */
async function audited(
  who: string,
  expected: { action: string; targetType: string; targetId: string | number },
  act: () => Promise<Response>,
) {
  const before = await auditCount();
  const response = await act();
  expect(await auditCount(), `one audit entry for ${expected.action}`).toBe(before + 1);
  expect(await lastAudit()).toMatchObject({
    actor_id: ids[who],
    actor_email: `${who}@example.com`,
    action: expected.action,
    target_type: expected.targetType,
    target_id: String(expected.targetId),
  });
  return response;
}

/** Posts as a student and returns the new post's id (from the redirect to its anchor). */
async function postAs(who: string, body: string): Promise<number> {
  const response = await send(PREVIEW, who, { intent: "post", body });
  expect(response.status, await response.clone().text()).toBe(302);
  return Number(response.headers.get("location")!.match(/#post-(\d+)$/)![1]);
}

async function report(who: string, postId: number, reason: string) {
  expect((await send(PREVIEW, who, { intent: "report", postId: String(postId), reason })).status).toBe(200);
}

let lectureId = 0;
const postFields = (postId: number) => ({ postId: String(postId), lectureId: String(lectureId) });
const postRow = (postId: number) =>
  one<{ hidden_at: number | null; hidden_by: string | null; body_markdown: string }>(
    "select hidden_at, hidden_by, body_markdown from discussion_posts where id = ?",
    postId,
  );
const openReports = (postId: number) =>
  count("select count(*) as n from discussion_reports where post_id = ? and resolved_at is null", postId);
const notifications = () => count("select count(*) as n from notifications");

describe("admin moderation", () => {
  beforeAll(async () => {
    await seedAllContent();
    for (const name of STUDENTS) {
      await createAccount(`${name}@example.com`, PASSWORD, "student", name[0]!.toUpperCase() + name.slice(1));
      await env.DB.prepare(enrollStatement(`${name}@example.com`, `enr-${name}`)).run();
    }
    await createAccount("teacher@example.com", PASSWORD, "admin", "Teacher");
    await createAccount("second@example.com", PASSWORD, "admin", "Second Teacher");
    for (const name of [...STUDENTS, "teacher", "second"]) {
      cookies[name] = await login(`${name}@example.com`, PASSWORD);
      ids[name] = (await one<{ id: string }>("select id from users where email = ?", `${name}@example.com`))!.id;
    }
    lectureId = (await one<{ id: number }>("select id from lectures where slug = 'the-shell-and-filesystem'"))!.id;
  });

  it("starts empty, says so, and links the project review queue with its count", async () => {
    await env.DB.prepare(
      `insert into project_submissions (id, project_id, user_id, repo_url)
       select ?, projects.id, ?, 'https://github.com/alice/linux' from projects
       join modules on modules.id = projects.module_id where modules.slug = 'linux'`,
    )
      .bind(crypto.randomUUID(), ids.alice)
      .run();
    const response = await page(MODERATION, "teacher");
    expect(response.status).toBe(200);
    // The session, the header's unread counts (root loader), and one batch for the whole page.
    expect(serverTiming(response)["d1-round-trips"]).toBe("3");
    const html = await response.text();
    expect(html).toContain("Reported posts (0)");
    expect(html).toContain("No open reports");
    expect(html).toContain("Reports from students appear here.");
    expect(html).toContain("Hidden posts (0)");
    expect(html).toContain("Locked threads (0)");
    expect(html).toContain("1 project submission awaits");
    expect(html).toContain('href="/admin/projects"');
  });

  it("refuses non-admins: 404 for the page and for every action, and nothing changes", async () => {
    const postId = await postAs("alice", "Please do not hide me");
    await report("bob", postId, "Off-topic");
    const before = await auditCount();
    for (const who of ["alice", "bob", null]) {
      expect((await page(MODERATION, who ?? undefined)).status).toBe(404);
      for (const intent of ["hide", "dismiss", "restore"]) {
        expect((await send(MODERATION, who, { intent, ...postFields(postId) })).status).toBe(404);
      }
      expect((await send(MODERATION, who, { intent: "lock", lectureId: String(lectureId) })).status).toBe(404);
    }
    expect((await postRow(postId))!.hidden_at).toBeNull();
    expect(await openReports(postId)).toBe(1);
    expect(await count("select count(*) as n from discussion_threads where locked_at is not null")).toBe(0);
    expect(await auditCount()).toBe(before);
    // Left for the admin: dismissed so the next test starts from an empty queue.
    await send(MODERATION, "teacher", { intent: "dismiss", ...postFields(postId) });
  });

  it("lists a reported post once, with its author, lecture, stored html and every reason", async () => {
    const postId = await postAs("alice", "Buy **cheap** certificates at example.com");
    await report("bob", postId, "Spam: selling certificates");
    await report("carol", postId, "Looks like an advert");
    const html = await (await page(MODERATION, "teacher")).text();
    expect(html).toContain("Reported posts (1)");
    expect(html).toContain("2 reports");
    expect(html).toContain("Spam: selling certificates");
    expect(html).toContain("Looks like an advert");
    expect(html).toContain("Bob");
    expect(html).toContain("Carol");
    expect(html).toContain("Alice");
    expect(html).toContain("Buy <strong>cheap</strong> certificates at example.com");
    expect(html).toContain(`href="${discussionPostUrl("linux", "the-shell-and-filesystem", postId)}"`);
    expect(html.match(/id="reported-\d+"/g)).toHaveLength(1);
    await send(MODERATION, "teacher", { intent: "dismiss", ...postFields(postId) });
  });

  it("hides a reported post: reports resolved, gone for students, kept in D1, nobody notified, audited", async () => {
    const postId = await postAs("alice", "Something rude to hide");
    await report("bob", postId, "Rude");
    const notified = await notifications();
    const response = await audited(
      "teacher",
      { action: "discussion.hide", targetType: "discussion_post", targetId: postId },
      () => send(MODERATION, "teacher", { intent: "hide", ...postFields(postId) }),
    );
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe(`${MODERATION}?done=hide`);
    expect(await openReports(postId)).toBe(0);
    expect(await postRow(postId)).toMatchObject({ body_markdown: "Something rude to hide", hidden_by: ids.teacher });
    expect((await postRow(postId))!.hidden_at).not.toBeNull();
    expect(await notifications()).toBe(notified);
    for (const who of ["bob", "alice"]) expect(await (await page(PREVIEW, who)).text()).not.toContain("Something rude");

    const html = await (await page(`${MODERATION}?done=hide`, "teacher")).text();
    expect(html).toContain("Post hidden and its reports closed.");
    expect(html).toContain("Reported posts (0)");
    expect(html).toContain("Hidden posts (1)");
    expect(html).toContain(`id="hidden-${postId}"`);
  });

  it("restores a hidden post for everyone, audited", async () => {
    const postId = await postAs("carol", "Hidden by mistake");
    await send(MODERATION, "teacher", { intent: "hide", ...postFields(postId) });
    expect(await (await page(PREVIEW, "bob")).text()).not.toContain("Hidden by mistake");
    const response = await audited(
      "second",
      { action: "discussion.unhide", targetType: "discussion_post", targetId: postId },
      () => send(MODERATION, "second", { intent: "restore", ...postFields(postId) }),
    );
    expect(response.status).toBe(302);
    expect(await postRow(postId)).toMatchObject({ hidden_at: null, hidden_by: null });
    expect(await (await page(PREVIEW, "bob")).text()).toContain("Hidden by mistake");
  });

  it("dismisses reports and keeps the post; dismissing again changes nothing and is not audited", async () => {
    const postId = await postAs("bob", "A fair question, reported by mistake");
    await report("carol", postId, "I misclicked");
    await audited(
      "teacher",
      { action: "discussion.dismiss_reports", targetType: "discussion_post", targetId: postId },
      () => send(MODERATION, "teacher", { intent: "dismiss", ...postFields(postId) }),
    );
    expect(await openReports(postId)).toBe(0);
    expect((await postRow(postId))!.hidden_at).toBeNull();
    expect(await (await page(PREVIEW, "alice")).text()).toContain("A fair question, reported by mistake");

    const before = await auditCount();
    const again = await send(MODERATION, "teacher", { intent: "dismiss", ...postFields(postId) });
    expect(again.status).toBe(409);
    expect(await again.text()).toContain("Those reports were already dealt with.");
    expect(await auditCount()).toBe(before);
  });

  it("locks and unlocks the post's thread: students stop and start posting, each change audited", async () => {
    const locked = await audited(
      "teacher",
      { action: "discussion.lock", targetType: "lecture", targetId: lectureId },
      () => send(MODERATION, "teacher", { intent: "lock", lectureId: String(lectureId) }),
    );
    expect(locked.status).toBe(302);
    expect((await send(PREVIEW, "alice", { intent: "post", body: "Still open?" })).status).toBe(403);
    const html = await (await page(MODERATION, "teacher")).text();
    expect(html).toContain("Locked threads (1)");
    expect(html).toContain('href="/modules/linux/the-shell-and-filesystem/discussion"');

    await audited("teacher", { action: "discussion.unlock", targetType: "lecture", targetId: lectureId }, () =>
      send(MODERATION, "teacher", { intent: "unlock", lectureId: String(lectureId) }),
    );
    await postAs("alice", "Open again");
    expect(await (await page(MODERATION, "teacher")).text()).toContain("Locked threads (0)");
  });

  it("refuses an action it does not understand, and one on a post of another lecture, writing nothing", async () => {
    const postId = await postAs("alice", "In the preview lecture");
    const before = await auditCount();
    const garbled = await send(MODERATION, "teacher", { intent: "delete-everything", postId: String(postId) });
    expect(garbled.status).toBe(400);
    expect(await garbled.text()).toContain("That action was not understood");
    const elsewhere = await send(MODERATION, "teacher", {
      intent: "hide",
      postId: String(postId),
      lectureId: "999999",
    });
    expect(elsewhere.status).toBe(409);
    expect((await postRow(postId))!.hidden_at).toBeNull();
    expect(await auditCount()).toBe(before);
  });

  it("audits moderation from the discussion page itself: pin, hide and a deletion", async () => {
    const postId = await postAs("bob", "Pin this");
    await audited("teacher", { action: "discussion.pin", targetType: "discussion_post", targetId: postId }, () =>
      send(PREVIEW, "teacher", { intent: "pin", postId: String(postId) }),
    );
    await audited("teacher", { action: "discussion.delete", targetType: "discussion_post", targetId: postId }, () =>
      send(PREVIEW, "teacher", { intent: "delete", postId: String(postId) }),
    );
    // A student's own deletion is not an admin action.
    const own = await postAs("carol", "Deleting my own post");
    const before = await auditCount();
    expect((await send(PREVIEW, "carol", { intent: "delete", postId: String(own) })).status).toBe(302);
    expect(await auditCount()).toBe(before);
  });

  it("audits a project review once, and a second review of the same submission not at all", async () => {
    const submission = (await one<{ id: string }>(
      "select id from project_submissions where user_id = ? and status = 'submitted'",
      ids.alice,
    ))!.id;
    const approved = await audited(
      "teacher",
      { action: "project.approve", targetType: "project_submission", targetId: submission },
      () => send(`/admin/projects/${submission}`, "teacher", { decision: "approve", feedback: "" }),
    );
    expect(approved.status).toBe(302);
    expect((await lastAudit())!.summary).toContain("Alice");

    const before = await auditCount();
    const second = await send(`/admin/projects/${submission}`, "second", {
      decision: "request_changes",
      feedback: "Too late",
    });
    expect(second.status).toBe(409);
    expect(await auditCount()).toBe(before);
  });

  it("writes no audit entry when another review lands between the check and the write", async () => {
    const submission = crypto.randomUUID();
    await env.DB.prepare(
      `insert into project_submissions (id, project_id, user_id, repo_url)
       select ?, projects.id, ?, 'https://github.com/bob/aws' from projects
       join modules on modules.id = projects.module_id where modules.slug = 'aws'`,
    )
      .bind(submission, ids.bob)
      .run();
    const db = testDatabase();
    // The other reviewer's decision is stored just before this one's batch runs.
    const racing = new Proxy(db, {
      get(target, property, receiver) {
        if (property !== "batch") return Reflect.get(target, property, receiver);
        return async (queries: Parameters<Database["batch"]>[0]) => {
          await env.DB.prepare("update project_submissions set status = 'approved' where id = ?")
            .bind(submission)
            .run();
          return target.batch(queries);
        };
      },
    });
    const admin: CurrentUser = {
      id: ids.second!,
      name: "Second Teacher",
      email: "second@example.com",
      role: "admin",
      emailVerified: true,
    };
    const before = await auditCount();
    const result = await reviewSubmission(racing, admin, submission, "request_changes", "Add a diagram.");
    expect(result).toEqual({ ok: false, reason: "conflict", status: "approved" });
    expect(await auditCount()).toBe(before);
    const row = await one<{ status: string; reviewer_id: string | null }>(
      "select status, reviewer_id from project_submissions where id = ?",
      submission,
    );
    expect(row).toEqual({ status: "approved", reviewer_id: null });
  });

  it("audits a certificate revocation once; revoking it again writes nothing", async () => {
    const certificate = crypto.randomUUID().replaceAll("-", "");
    await env.DB.prepare(
      `insert into certificates (id, user_id, recipient_name, course_title, lecture_count, issued_at)
       values (?, ?, 'Carol', 'DevOps Engineering Programme', 34, unixepoch())`,
    )
      .bind(certificate, ids.carol)
      .run();
    const path = `/certificates/${certificate}`;
    const revoked = await audited(
      "teacher",
      { action: "certificate.revoke", targetType: "certificate", targetId: certificate },
      () => send(path, "teacher", { reason: "Issued by mistake" }),
    );
    expect(revoked.status).toBe(200);
    expect((await lastAudit())!.summary).toContain("Issued by mistake");
    const before = await auditCount();
    expect((await send(path, "second", { reason: "Revoking twice" })).status).toBe(404);
    expect(await auditCount()).toBe(before);
  });

  it("audits an announcement once, naming the new announcement; one to a missing cohort writes nothing", async () => {
    const response = await send("/admin/announcements", "teacher", {
      title: "Office hours moved",
      body: "Thursday at **15:00** from now on.",
      audience: "everyone",
    });
    expect(response.status).toBe(302);
    const announcement = (await one<{ id: number }>("select max(id) as id from announcements"))!.id;
    expect(await lastAudit()).toMatchObject({
      actor_id: ids.teacher,
      action: "announcement.create",
      target_type: "announcement",
      target_id: String(announcement),
    });
    expect(await count("select count(*) as n from audit_log where action = 'announcement.create'")).toBe(1);

    const before = await auditCount();
    const refused = await send("/admin/announcements", "teacher", {
      title: "To nobody",
      body: "This cohort does not exist.",
      audience: "999999",
    });
    expect(refused.status).toBe(409);
    expect(await auditCount()).toBe(before);
    expect(await count("select count(*) as n from announcements")).toBe(1);
  });
});
