import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { DISCUSSION_BODY_MAX, DISCUSSION_PAGE_SIZE } from "../../db/queries/discussion-limits.ts";
import { enrollStatement } from "../../db/seed/user-statements.ts";
import { RATE_LIMITS } from "../../worker/services/rate-limit.ts";
import { createAccount, login, post } from "./accounts.ts";
import { request, seedDemoCurriculum, serverTiming } from "./helpers.ts";

const PREVIEW = "/modules/linux/the-shell-and-filesystem/discussion";
const LOCKED = "/modules/linux/users-groups-and-permissions/discussion";
const PASSWORD = "talks in threads";
const STUDENTS = ["alice", "bob", "carol", "erin", "frank", "grace"] as const;
const cookies: Record<string, string> = {};
let previewId = 0;

const page = async (path: string, cookie = "") => (await request(path, { headers: cookie ? { cookie } : {} })).text();
const send = (path: string, who: string, fields: Record<string, string>) =>
  post(path, fields, who ? { cookie: cookies[who]! } : {});
/** Posts and returns the new post's id (from the redirect to its anchor). */
async function posted(path: string, who: string, fields: Record<string, string>): Promise<number> {
  const response = await send(path, who, fields);
  expect(response.status, await response.clone().text()).toBe(302);
  const id = response.headers.get("location")?.match(/#post-(\d+)$/)?.[1];
  expect(id, "a redirect to the new post").toBeDefined();
  return Number(id);
}
const count = (sql: string, ...values: unknown[]) =>
  env.DB.prepare(sql)
    .bind(...values)
    .first<number>("n");
const postRow = (id: number) =>
  env.DB.prepare("select * from discussion_posts where id = ?")
    .bind(id)
    .first<{ body_markdown: string; body_html: string; deleted_at: number | null; edited_at: number | null }>();
const notificationsOf = (name: string) =>
  count(
    "select count(*) as n from notifications n join users u on u.id = n.user_id where u.email = ?",
    `${name}@example.com`,
  );

describe("lecture discussions", () => {
  beforeAll(async () => {
    await seedDemoCurriculum();
    for (const name of STUDENTS) {
      await createAccount(`${name}@example.com`, PASSWORD, "student", name[0]!.toUpperCase() + name.slice(1));
      await env.DB.prepare(enrollStatement(`${name}@example.com`, `enr-${name}`)).run();
    }
    await createAccount("dave@example.com", PASSWORD, "student", "Dave");
    await createAccount("teacher@example.com", PASSWORD, "admin", "Teacher");
    for (const name of [...STUDENTS, "dave", "teacher"]) cookies[name] = await login(`${name}@example.com`, PASSWORD);
    previewId = (await env.DB.prepare("select id from lectures where slug = 'the-shell-and-filesystem'").first<number>(
      "id",
    ))!;
  });

  it("posts and replies, and notifies the parent's author but never someone replying to themselves", async () => {
    const question = await posted(PREVIEW, "alice", { intent: "post", body: "Why does `cd -` go back?" });
    const answer = await posted(PREVIEW, "bob", {
      intent: "reply",
      parentId: String(question),
      body: "It jumps to `$OLDPWD`.",
    });
    expect(await notificationsOf("alice")).toBe(1);
    await posted(PREVIEW, "alice", { intent: "reply", parentId: String(question), body: "Thanks, that helps." });
    expect(await notificationsOf("alice")).toBe(1);
    expect(await notificationsOf("bob")).toBe(0);

    // A quote notifies the quoted author too (once, even when they also wrote the parent).
    await posted(PREVIEW, "carol", {
      intent: "reply",
      parentId: String(question),
      quotedPostId: String(answer),
      body: "> It jumps to `$OLDPWD`.\n\nAnd `cd` alone goes home.",
    });
    expect(await notificationsOf("bob")).toBe(1);
    expect(await notificationsOf("alice")).toBe(2);

    const html = await page(PREVIEW, cookies.dave);
    expect(html).toContain(`id="post-${question}"`);
    expect(html).toContain("It jumps to <code>$OLDPWD</code>.");
    expect(html).toContain("Bob wrote:");

    // "Quote" is a link: the reply form under the parent opens prefilled, without JavaScript.
    const quoting = await request(`${PREVIEW}?quote=${answer}`, { headers: { cookie: cookies.grace! } });
    expect(Number(serverTiming(quoting)["d1-round-trips"])).toBeLessThanOrEqual(4);
    const form = await quoting.text();
    expect(form).toMatch(new RegExp(`<details id="reply-${question}" open=""`));
    expect(form).toContain("&gt; It jumps to `$OLDPWD`.");
    expect(form).toContain(`name="quotedPostId" value="${answer}"`);

    const inbox = await page("/notifications", cookies.alice);
    expect(inbox).toContain(`href="/modules/linux/the-shell-and-filesystem/discussion#post-${answer}"`);
    expect(inbox).toContain("Mark all as read");
    expect((await send("/notifications", "alice", {})).status).toBe(302);
    expect(
      await count(
        "select count(*) as n from notifications where read_at is null and user_id = (select id from users where email = 'alice@example.com')",
      ),
    ).toBe(0);
    expect(await page("/notifications", cookies.dave)).toContain("Nothing new");
  });

  it("refuses a reply to a reply, and quotes from another lecture", async () => {
    const top = await posted(PREVIEW, "erin", { intent: "post", body: "Top-level post" });
    const reply = await posted(PREVIEW, "frank", { intent: "reply", parentId: String(top), body: "A reply" });
    const before = await count("select count(*) as n from discussion_posts");
    expect((await send(PREVIEW, "frank", { intent: "reply", parentId: String(reply), body: "Nested" })).status).toBe(
      404,
    );
    const elsewhere = await posted(LOCKED, "frank", { intent: "post", body: "In another lecture" });
    expect(
      (await send(PREVIEW, "frank", { intent: "post", quotedPostId: String(elsewhere), body: "Quoting across" }))
        .status,
    ).toBe(404);
    expect(await count("select count(*) as n from discussion_posts")).toBe(before! + 1);
  });

  it("sanitises markdown: no script and no event handler reaches the page", async () => {
    const id = await posted(PREVIEW, "erin", {
      intent: "post",
      body: 'Look: <script>alert("owned")</script> <img src="x" onerror="alert(1)"> **bold**',
    });
    const stored = await postRow(id);
    expect(stored!.body_html).not.toContain("<script");
    expect(stored!.body_html).not.toContain("onerror");
    expect(stored!.body_html).toContain("<strong>bold</strong>");
    const html = await page(PREVIEW, cookies.bob);
    expect(html).not.toContain('alert("owned")');
    expect(html).not.toContain("onerror");
  });

  it("lets authors edit and delete their own posts within 15 minutes, and nobody else's", async () => {
    const id = await posted(PREVIEW, "frank", { intent: "post", body: "First draft" });
    await posted(PREVIEW, "frank", { intent: "edit", postId: String(id), body: "Second **draft**" });
    const edited = await postRow(id);
    expect(edited!.body_html).toContain("<strong>draft</strong>");
    expect(edited!.edited_at).not.toBeNull();

    // Another student can neither edit nor delete it.
    expect((await send(PREVIEW, "bob", { intent: "edit", postId: String(id), body: "Hijacked" })).status).toBe(404);
    expect((await send(PREVIEW, "bob", { intent: "delete", postId: String(id) })).status).toBe(404);
    expect(await postRow(id)).toMatchObject({ body_markdown: "Second **draft**", deleted_at: null });

    // Past the window, the author cannot either.
    await env.DB.prepare("update discussion_posts set created_at = unixepoch() - 16 * 60 where id = ?").bind(id).run();
    const late = await send(PREVIEW, "frank", { intent: "edit", postId: String(id), body: "Too late" });
    expect(late.status).toBe(404);
    expect(await late.text()).toContain("can no longer be edited");
    expect((await send(PREVIEW, "frank", { intent: "delete", postId: String(id) })).status).toBe(404);
    expect(await postRow(id)).toMatchObject({ body_markdown: "Second **draft**", deleted_at: null });

    // A fresh post deleted in time: gone without replies; a tombstone with them; admins delete anything.
    const lonely = await posted(PREVIEW, "frank", { intent: "post", body: "Nobody will answer this" });
    expect((await send(PREVIEW, "frank", { intent: "delete", postId: String(lonely) })).status).toBe(302);
    const answered = await posted(PREVIEW, "frank", { intent: "post", body: "Answered then deleted" });
    await posted(PREVIEW, "grace", { intent: "reply", parentId: String(answered), body: "Here is an answer" });
    expect((await send(PREVIEW, "frank", { intent: "delete", postId: String(answered) })).status).toBe(302);
    const html = await page(PREVIEW, cookies.bob);
    expect(html).not.toContain(`id="post-${lonely}"`);
    expect(html).not.toContain("Nobody will answer this");
    expect(html).toContain(`id="post-${answered}"`);
    expect(html).toContain("This post was deleted");
    expect(html).not.toContain("Answered then deleted");
    expect(html).toContain("Here is an answer");
    expect((await send(PREVIEW, "teacher", { intent: "delete", postId: String(id) })).status).toBe(302);
    expect((await postRow(id))!.deleted_at).not.toBeNull();
  });

  it("hides posts from students and shows them marked to admins", async () => {
    const id = await posted(PREVIEW, "grace", { intent: "post", body: "Something off-topic to hide" });
    expect((await send(PREVIEW, "teacher", { intent: "hide", postId: String(id) })).status).toBe(302);
    expect(await page(PREVIEW, cookies.bob)).not.toContain("Something off-topic to hide");
    expect(await page(PREVIEW, cookies.grace)).not.toContain("Something off-topic to hide");
    const adminView = await page(PREVIEW, cookies.teacher);
    expect(adminView).toContain("Something off-topic to hide");
    expect(adminView).toContain(">Hidden<");
  });

  it("lets admins lock a thread: students can no longer post, admins can", async () => {
    const lectureUrl = "/modules/linux/the-shell-and-filesystem/discussion";
    expect((await send(lectureUrl, "teacher", { intent: "lock" })).status).toBe(302);
    const before = await count("select count(*) as n from discussion_posts");
    const refused = await send(lectureUrl, "bob", { intent: "post", body: "Can I still post?" });
    expect(refused.status).toBe(403);
    const html = await refused.text();
    expect(html).toContain("This discussion is locked");
    expect(await count("select count(*) as n from discussion_posts")).toBe(before);
    await posted(lectureUrl, "teacher", { intent: "post", body: "Closing this thread, see the next lecture." });
    expect((await send(lectureUrl, "teacher", { intent: "unlock" })).status).toBe(302);
    expect((await send(lectureUrl, "bob", { intent: "post", body: "Open again" })).status).toBe(302);
  });

  it("gives students no moderation: pin, hide and lock are 404s that change nothing", async () => {
    const id = await posted(PREVIEW, "bob", { intent: "post", body: "Pin me please" });
    for (const intent of ["pin", "hide"]) {
      expect((await send(PREVIEW, "bob", { intent, postId: String(id) })).status).toBe(404);
    }
    expect((await send(PREVIEW, "bob", { intent: "lock" })).status).toBe(404);
    const row = await env.DB.prepare("select pinned_at, hidden_at from discussion_posts where id = ?").bind(id).first();
    expect(row).toEqual({ pinned_at: null, hidden_at: null });
    expect(await count("select count(*) as n from discussion_threads where locked_at is not null")).toBe(0);

    // Pinned by an admin, it leads the thread in both sorts.
    expect((await send(PREVIEW, "teacher", { intent: "pin", postId: String(id) })).status).toBe(302);
    for (const sort of ["", "?sort=top"]) {
      const html = await page(`${PREVIEW}${sort}`, cookies.alice);
      expect(html.indexOf(`id="post-${id}"`)).toBeLessThan(
        html.indexOf('id="post-', html.indexOf(`id="post-${id}"`) + 1),
      );
      expect(html.match(/id="post-\d+"/)![0]).toBe(`id="post-${id}"`);
    }
    await send(PREVIEW, "teacher", { intent: "unpin", postId: String(id) });
  });

  it("takes one report per member and post, and needs a reason", async () => {
    const id = await posted(PREVIEW, "carol", { intent: "post", body: "A spammy link" });
    const empty = await send(PREVIEW, "bob", { intent: "report", postId: String(id), reason: " " });
    expect(empty.status).toBe(400);
    expect(await empty.text()).toContain("Say what is wrong with this post.");
    expect((await send(PREVIEW, "bob", { intent: "report", postId: String(id), reason: "Spam" })).status).toBe(200);
    expect((await send(PREVIEW, "bob", { intent: "report", postId: String(id), reason: "Still spam" })).status).toBe(
      200,
    );
    const reports = await env.DB.prepare("select reason from discussion_reports where post_id = ?").bind(id).all();
    expect(reports.results).toEqual([{ reason: "Spam" }]);
  });

  it("counts one upvote per member, never on your own post, and sorts by votes with `top`", async () => {
    const quiet = await posted(LOCKED, "erin", { intent: "post", body: "Quiet post" });
    const popular = await posted(LOCKED, "erin", { intent: "post", body: "Popular post" });
    const votes = (id: number) => count("select count(*) as n from discussion_votes where post_id = ?", id);
    await send(LOCKED, "bob", { intent: "upvote", postId: String(quiet) });
    for (const who of ["alice", "alice", "bob", "carol"]) {
      expect((await send(LOCKED, who, { intent: "upvote", postId: String(popular) })).status).toBe(302);
    }
    expect((await send(LOCKED, "erin", { intent: "upvote", postId: String(popular) })).status).toBe(404);
    expect(await votes(popular)).toBe(3);
    expect((await send(LOCKED, "carol", { intent: "unvote", postId: String(popular) })).status).toBe(302);
    expect((await send(LOCKED, "carol", { intent: "unvote", postId: String(popular) })).status).toBe(302);
    expect(await votes(popular)).toBe(2);

    const newest = await page(LOCKED, cookies.alice);
    expect(newest.indexOf(`id="post-${popular}"`)).toBeLessThan(newest.indexOf(`id="post-${quiet}"`));
    // A third post, newer but with no votes, goes below both under `top`.
    const fresh = await posted(LOCKED, "erin", { intent: "post", body: "Fresh post" });
    const top = await page(`${LOCKED}?sort=top`, cookies.alice);
    const order = [popular, quiet, fresh].map((id) => top.indexOf(`id="post-${id}"`));
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(top).toContain('aria-pressed="true"');
  });

  it(`shows ${DISCUSSION_PAGE_SIZE} top-level posts a page`, async () => {
    const lecture = await env.DB.prepare(
      "select l.id from lectures l join modules m on m.id = l.module_id where m.slug = 'docker' order by l.position limit 1",
    ).first<number>("id");
    const slug = await env.DB.prepare("select l.slug from lectures l where l.id = ?")
      .bind(lecture)
      .first<string>("slug");
    const statements = Array.from({ length: 25 }, (_, index) =>
      env.DB.prepare(
        `insert into discussion_posts (lecture_id, user_id, body_markdown, body_html, created_at)
         select ?, id, ?, ?, unixepoch() - ? from users where email = 'alice@example.com'`,
      ).bind(lecture, `Paged ${index + 1}`, `<p>Paged post number ${index + 1}.</p>`, 1000 - index),
    );
    await env.DB.batch(statements);
    const url = `/modules/docker/${slug}/discussion`;
    const first = await page(url, cookies.bob);
    expect(first.match(/<p>Paged post number \d+\.<\/p>/g)).toHaveLength(DISCUSSION_PAGE_SIZE);
    expect(first).toContain("Paged post number 25.");
    expect(first).toContain("Page 1 of 2");
    expect(first).toContain(`href="${url}?page=2"`);
    const second = await page(`${url}?page=2`, cookies.bob);
    expect(second.match(/<p>Paged post number \d+\.<\/p>/g)).toHaveLength(5);
    expect(second).toContain("Paged post number 1.");
  });

  it(`limits posting to ${RATE_LIMITS["discussion-post"].capacity} posts in a burst: 429 with Retry-After, nothing written, text kept`, async () => {
    await createAccount("chatty@example.com", PASSWORD);
    await env.DB.prepare(enrollStatement("chatty@example.com", "enr-chatty")).run();
    cookies.chatty = await login("chatty@example.com", PASSWORD);
    for (let index = 1; index <= RATE_LIMITS["discussion-post"].capacity; index++) {
      await posted(LOCKED, "chatty", { intent: "post", body: `Message ${index}` });
    }
    const mine = () =>
      count(
        "select count(*) as n from discussion_posts p join users u on u.id = p.user_id where u.email = 'chatty@example.com'",
      );
    const before = await mine();
    const blocked = await send(LOCKED, "chatty", { intent: "post", body: "One message too many" });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get("retry-after"))).toBeGreaterThan(0);
    const html = await blocked.text();
    expect(html).toContain("You are posting faster than the discussion allows");
    expect(html).toContain("One message too many");
    expect(await mine()).toBe(before);
  });

  it("keeps a locked lecture's discussion closed to students without an enrolment and to visitors", async () => {
    const secret = await posted(LOCKED, "alice", { intent: "post", body: "Only enrolled students see this" });
    expect(await page(LOCKED, cookies.alice)).toContain("Only enrolled students see this");

    for (const cookie of [cookies.dave, ""]) {
      const response = await request(LOCKED, { headers: cookie ? { cookie } : {} });
      expect(response.status).toBe(200);
      const html = await response.text();
      expect(html).toContain("This discussion is for enrolled students");
      expect(html).not.toContain("Only enrolled students see this");
    }
    const before = await count("select count(*) as n from discussion_posts");
    const refused = await send(LOCKED, "dave", { intent: "post", body: "Let me in" });
    expect(refused.status).toBe(403);
    expect((await send(LOCKED, "dave", { intent: "reply", parentId: String(secret), body: "Let me in" })).status).toBe(
      403,
    );
    expect((await send(LOCKED, "dave", { intent: "upvote", postId: String(secret) })).status).toBe(403);
    const visitor = await send(LOCKED, "", { intent: "post", body: "Anonymous" });
    expect(visitor.status).toBe(302);
    expect(visitor.headers.get("location")).toContain("/login");
    expect(await count("select count(*) as n from discussion_posts")).toBe(before);
    expect(await count("select count(*) as n from discussion_votes where post_id = ?", secret)).toBe(0);

    // A free preview's discussion is open to read for visitors, who log in to post.
    const preview = await page(PREVIEW);
    expect(preview).toContain("Why does <code>cd -</code> go back?");
    expect(preview).toContain("Log in to post");
  });

  it("refuses empty and over-long posts with a clear message and writes nothing", async () => {
    const before = await count("select count(*) as n from discussion_posts where lecture_id = ?", previewId);
    const empty = await send(PREVIEW, "grace", { intent: "post", body: "   \n  " });
    expect(empty.status).toBe(400);
    expect(await empty.text()).toContain("Write something first: the post is empty.");
    const long = "x".repeat(DISCUSSION_BODY_MAX + 1);
    const tooLong = await send(PREVIEW, "grace", { intent: "post", body: long });
    expect(tooLong.status).toBe(400);
    const html = await tooLong.text();
    expect(html).toContain("Posts can be up to 5,000 characters");
    expect(html).toContain(long);
    expect(await count("select count(*) as n from discussion_posts where lecture_id = ?", previewId)).toBe(before);
    await posted(PREVIEW, "grace", { intent: "post", body: "x".repeat(DISCUSSION_BODY_MAX) });
  });
});
