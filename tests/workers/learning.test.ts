import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { enrollStatement } from "../../db/seed/user-statements.ts";
import { createAccount, login, post } from "./accounts.ts";
import { request, seedDemoCurriculum, serverTiming } from "./helpers.ts";

const LOCKED = "/modules/docker/writing-good-dockerfiles";
const PREVIEW = "/modules/docker/containers-from-first-principles";
// A sentence that only the locked lecture's body contains.
let lockedBodyText = "";
let lockedLectureId = 0;
const cookies = { visitor: "", enrolled: "", other: "", admin: "" };

async function lectureId(slug: string) {
  return (await env.DB.prepare("select id from lectures where slug = ?").bind(slug).first<number>("id"))!;
}

describe("access to lectures", () => {
  beforeAll(async () => {
    await seedDemoCurriculum();
    await createAccount("not.enrolled@example.com", "no enrolment yet");
    await createAccount("enrolled@example.com", "enrolled and keen");
    await createAccount("other.enrolled@example.com", "also enrolled here");
    await createAccount("teacher@example.com", "runs the school", "admin");
    for (const [email, id] of [
      ["enrolled@example.com", "enr-1"],
      ["other.enrolled@example.com", "enr-2"],
    ]) {
      await env.DB.prepare(enrollStatement(email!, id!)).run();
    }
    cookies.visitor = await login("not.enrolled@example.com", "no enrolment yet");
    cookies.enrolled = await login("enrolled@example.com", "enrolled and keen");
    cookies.other = await login("other.enrolled@example.com", "also enrolled here");
    cookies.admin = await login("teacher@example.com", "runs the school");
    const row = await env.DB.prepare(
      "select id, body_text from lectures where slug = 'writing-good-dockerfiles'",
    ).first<{
      id: number;
      body_text: string;
    }>();
    lockedLectureId = row!.id;
    lockedBodyText = row!.body_text
      .split("\n")
      .find((line) => line.length > 60)!
      .slice(0, 50);
  });

  it("shows a locked lecture's outline and how to get access, never its body", async () => {
    for (const cookie of [undefined, cookies.visitor]) {
      const response = await request(LOCKED, { headers: cookie ? { cookie } : {} });
      expect(response.status).toBe(200);
      const html = await response.text();
      expect(html).toContain("This lecture is for enrolled students");
      expect(html).toContain("What this lecture covers");
      expect(html).not.toContain(lockedBodyText);
      expect(html).not.toContain('class="hljs language-dockerfile"');
    }
  });

  it("refuses a locked lecture through the API, with a stable code", async () => {
    for (const cookie of [undefined, cookies.visitor]) {
      const response = await request(`/api${LOCKED.replace("/docker/", "/docker/lectures/")}`, {
        headers: cookie ? { cookie } : {},
      });
      expect(response.status).toBe(403);
      const body = await response.text();
      expect(JSON.parse(body).error.code).toBe("ENROLLMENT_REQUIRED");
      expect(body).not.toContain(lockedBodyText);
    }
  });

  it("never shows a locked lecture's text in search snippets", async () => {
    const words = lockedBodyText
      .split(/\W+/)
      .filter((word) => word.length > 4)
      .slice(0, 3)
      .join(" ");
    type Hits = { results: Array<{ lectureSlug: string; snippet: Array<{ text: string; match: boolean }> }> };
    const search = async (cookie?: string) =>
      (await (
        await request(`/api/search?q=${encodeURIComponent(words)}`, { headers: cookie ? { cookie } : {} })
      ).json()) as Hits;
    const find = (hits: Hits) => hits.results.find((result) => result.lectureSlug === "writing-good-dockerfiles");

    const summary = await env.DB.prepare("select summary from lectures where id = ?")
      .bind(lockedLectureId)
      .first("summary");
    for (const cookie of [undefined, cookies.visitor]) {
      expect(find(await search(cookie))?.snippet).toEqual([{ text: summary, match: false }]);
    }
    expect(find(await search(cookies.enrolled))?.snippet.some((part) => part.match)).toBe(true);
  });

  it("opens every lecture to enrolled students and admins, and previews to everyone", async () => {
    for (const cookie of [cookies.enrolled, cookies.admin]) {
      const html = await (await request(LOCKED, { headers: { cookie } })).text();
      expect(html).toContain('class="hljs language-dockerfile"');
      expect(html).not.toContain("This lecture is for enrolled students");
    }
    expect(await (await request(PREVIEW)).text()).not.toContain("This lecture is for enrolled students");
  });

  it("stops opening lectures once the enrolment is no longer active", async () => {
    await createAccount("lapsed@example.com", "used to be enrolled");
    await env.DB.prepare(enrollStatement("lapsed@example.com", "enr-lapsed")).run();
    const cookie = await login("lapsed@example.com", "used to be enrolled");
    expect(await (await request(LOCKED, { headers: { cookie } })).text()).not.toContain(
      "This lecture is for enrolled students",
    );
    await env.DB.prepare("update enrollments set status = 'refunded' where id = 'enr-lapsed'").run();
    expect(await (await request(LOCKED, { headers: { cookie } })).text()).toContain(
      "This lecture is for enrolled students",
    );
  });
});

describe("progress", () => {
  it("marks a lecture complete idempotently: concurrent clicks leave exactly one row", async () => {
    const responses = await Promise.all(
      Array.from({ length: 8 }, () =>
        post(LOCKED, { intent: "complete", lectureId: String(lockedLectureId) }, { cookie: cookies.enrolled }),
      ),
    );
    expect(responses.every((response) => response.status === 200)).toBe(true);
    const rows = await env.DB.prepare(
      "select count(*) as n, max(completed_at) as done from lecture_progress p join users u on u.id = p.user_id where u.email = 'enrolled@example.com' and p.lecture_id = ?",
    )
      .bind(lockedLectureId)
      .first<{ n: number; done: number | null }>();
    expect(rows).toMatchObject({ n: 1 });
    expect(rows!.done).not.toBeNull();
    expect(await (await request(LOCKED, { headers: { cookie: cookies.enrolled } })).text()).toContain(
      "You completed this lecture",
    );
  });

  it("refuses to record progress on a lecture the student cannot open", async () => {
    const response = await post(
      LOCKED,
      { intent: "complete", lectureId: String(lockedLectureId) },
      { cookie: cookies.visitor },
    );
    expect(response.status).toBe(403);
    const rows = await env.DB.prepare(
      "select count(*) as n from lecture_progress p join users u on u.id = p.user_id where u.email = 'not.enrolled@example.com'",
    ).first<number>("n");
    expect(rows).toBe(0);
  });

  it("only ever changes the acting student's own progress", async () => {
    const preview = await lectureId("containers-from-first-principles");
    await post(PREVIEW, { intent: "complete", lectureId: String(preview) }, { cookie: cookies.other });
    await post(PREVIEW, { intent: "incomplete", lectureId: String(preview) }, { cookie: cookies.enrolled });
    const others = await env.DB.prepare(
      "select completed_at from lecture_progress p join users u on u.id = p.user_id where u.email = 'other.enrolled@example.com' and p.lecture_id = ?",
    )
      .bind(preview)
      .first<number | null>("completed_at");
    expect(others).not.toBeNull();
    const otherPage = await (await request(PREVIEW, { headers: { cookie: cookies.enrolled } })).text();
    expect(otherPage).not.toContain("You completed this lecture");
  });

  it("rejects malformed progress updates and anonymous ones", async () => {
    expect(
      (await post(LOCKED, { intent: "finish-everything", lectureId: "1" }, { cookie: cookies.enrolled })).status,
    ).toBe(400);
    expect((await post(LOCKED, { intent: "complete", lectureId: "-4" }, { cookie: cookies.enrolled })).status).toBe(
      400,
    );
    const anonymous = await post(LOCKED, { intent: "complete", lectureId: String(lockedLectureId) });
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("location")).toMatch(/^\/login/);
  });
});

describe("dashboard", () => {
  it("shows progress on every lecture in at most 3 D1 round trips, and where to continue", async () => {
    await createAccount("finisher@example.com", "nearly done now");
    await env.DB.prepare(enrollStatement("finisher@example.com", "enr-finisher")).run();
    const cookie = await login("finisher@example.com", "nearly done now");
    // Complete everything but the last lecture of the course, touching the first lecture last.
    await env.DB.prepare(
      `insert into lecture_progress (user_id, lecture_id, completed_at, updated_at)
       select (select id from users where email = 'finisher@example.com'), l.id, unixepoch(), unixepoch() - l.id
       from lectures l where l.id != (select max(id) from lectures)`,
    ).run();

    const response = await request("/dashboard", { headers: { cookie } });
    expect(response.status).toBe(200);
    expect(Number(serverTiming(response)["d1-round-trips"])).toBeLessThanOrEqual(3);
    const html = await response.text();
    const total = await env.DB.prepare("select count(*) as n from lectures").first<number>("n");
    expect(html).toContain(`${total! - 1} of ${total} lectures completed`);
    const last = await env.DB.prepare(
      "select l.slug, m.slug as module from lectures l join modules m on m.id = l.module_id where l.id = (select max(id) from lectures)",
    ).first<{ slug: string; module: string }>();
    expect(html).toContain(`href="/modules/${last!.module}/${last!.slug}"`);
  });

  it("agrees with the lecture pages on access when an older enrolment is active and a newer one is not", async () => {
    await createAccount("two.enrolments@example.com", "enrolled twice over");
    await env.DB.prepare(enrollStatement("two.enrolments@example.com", "enr-old-active")).run();
    await env.DB.prepare(
      `insert into enrollments (id, user_id, status, source, created_at)
       select 'enr-new-cancelled', id, 'cancelled', 'admin', unixepoch() + 60 from users where email = 'two.enrolments@example.com'`,
    ).run();
    const cookie = await login("two.enrolments@example.com", "enrolled twice over");
    expect(await (await request(LOCKED, { headers: { cookie } })).text()).not.toContain(
      "This lecture is for enrolled students",
    );
    const html = await (await request("/dashboard", { headers: { cookie } })).text();
    expect(html).toContain("every lecture is open to you");
    expect(html).not.toContain("You are not enrolled yet");
  });

  it("tells a new student what to do first", async () => {
    await createAccount("brand.new@example.com", "first day here");
    const cookie = await login("brand.new@example.com", "first day here");
    const html = await (await request("/dashboard", { headers: { cookie } })).text();
    expect(html).toContain("Start here");
    expect(html).toContain('href="/modules/linux/the-shell-and-filesystem"');
    expect(html).toContain("You are not enrolled yet");
  });
});
