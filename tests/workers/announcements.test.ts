import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { createAccount, login, post, SAME_ORIGIN } from "./accounts.ts";
import { request } from "./helpers.ts";
import { createCohort, enrollInCohort, openLive } from "./live-fixtures.ts";

const cookies = { batch4: "", batch4b: "", batch5: "", loner: "", admin: "" };
const cohorts = { batch4: 0, batch5: 0 };

type CatchUp = {
  announcements: Array<{ id: number; title: string; cohortId: number | null; html: string }>;
  unread: number;
};

const catchUp = async (cookie: string, after: number) => {
  const response = await request(`/api/announcements?after=${after}`, { headers: { cookie } });
  expect(response.status).toBe(200);
  return (await response.json()) as CatchUp;
};

const postAnnouncement = (fields: Record<string, string>, cookie = cookies.admin) =>
  post("/admin/announcements", fields, { cookie });

const latestId = async () =>
  (await env.DB.prepare("select coalesce(max(id), 0) as id from announcements").first<number>("id"))!;

describe("announcements", () => {
  beforeAll(async () => {
    cohorts.batch4 = await createCohort("Batch 4");
    cohorts.batch5 = await createCohort("Batch 5");
    const accounts = [
      ["batch4", "ann.four@example.com", "studies in four"],
      ["batch4b", "ann.four.b@example.com", "also studies in four"],
      ["batch5", "ann.five@example.com", "studies in five"],
      ["loner", "ann.loner@example.com", "has no cohort yet"],
    ] as const;
    for (const [key, email, password] of accounts) {
      await createAccount(email, password);
      if (key === "batch4" || key === "batch4b") await enrollInCohort(email, cohorts.batch4);
      if (key === "batch5") await enrollInCohort(email, cohorts.batch5);
      cookies[key] = await login(email, password);
    }
    await createAccount("ann.admin@example.com", "posts the news", "admin");
    cookies.admin = await login("ann.admin@example.com", "posts the news");
  });

  it("pushes an admin's cohort announcement live to that cohort's members only, rendered and stored", async () => {
    const four = await openLive(cookies.batch4);
    const fourB = await openLive(cookies.batch4b);
    const five = await openLive(cookies.batch5);
    const loner = await openLive(cookies.loner);

    const response = await postAnnouncement({
      title: "Kubernetes lab moved",
      body: "The lab is on **Thursday**.<script>alert(1)</script>",
      audience: String(cohorts.batch4),
    });
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toMatch(/^\/admin\/announcements\?posted=\d+&reached=2$/);

    for (const socket of [four, fourB]) {
      const message = await socket.next((m) => m.type === "announcement");
      expect(message).toMatchObject({ type: "announcement", title: "Kubernetes lab moved", cohortId: cohorts.batch4 });
      expect(message.html).toContain("<strong>Thursday</strong>");
      expect(message.html).not.toContain("<script");
    }
    // Their own clock may report its schedule (connecting synced it); nothing else may arrive.
    const fiveGot = (await five.quietFor(100)) as Array<{ type: string }>;
    expect(fiveGot.filter((m) => m.type !== "schedule")).toEqual([]);
    expect(loner.messages).toEqual([]);

    const row = await env.DB.prepare(
      "select title, body_html, cohort_id from announcements order by id desc limit 1",
    ).first<{
      body_html: string;
      cohort_id: number;
    }>();
    expect(row).toMatchObject({ cohort_id: cohorts.batch4 });
    expect(row!.body_html).toContain("<strong>Thursday</strong>");
    for (const socket of [four, fourB, five, loner]) socket.ws.close();
  });

  it("pushes an announcement to everyone to every cohort and to members without one", async () => {
    const four = await openLive(cookies.batch4);
    const five = await openLive(cookies.batch5);
    const loner = await openLive(cookies.loner);
    const response = await postAnnouncement({ title: "Welcome, everyone", body: "Hello!", audience: "everyone" });
    expect(response.status).toBe(302);
    for (const socket of [four, five, loner]) {
      expect(await socket.next((m) => m.type === "announcement")).toMatchObject({
        title: "Welcome, everyone",
        cohortId: null,
      });
    }
    for (const socket of [four, five, loner]) socket.ws.close();
    // One's own posts are never unread.
    expect((await catchUp(cookies.admin, 0)).unread).toBe(0);
  });

  it("catches a member up on what came after an id, from their audiences only", async () => {
    const before = await latestId();
    await postAnnouncement({ title: "For five", body: "Five only.", audience: String(cohorts.batch5) });
    await postAnnouncement({ title: "For four", body: "Four only.", audience: String(cohorts.batch4) });
    await postAnnouncement({ title: "For all", body: "All.", audience: "everyone" });

    const four = await catchUp(cookies.batch4, before);
    expect(four.announcements.map((a) => a.title)).toEqual(["For four", "For all"]);
    const five = await catchUp(cookies.batch5, before);
    expect(five.announcements.map((a) => a.title)).toEqual(["For five", "For all"]);
    const loner = await catchUp(cookies.loner, before);
    expect(loner.announcements.map((a) => a.title)).toEqual(["For all"]);

    // Only what is strictly after the given id.
    const last = four.announcements.at(-1)!.id;
    expect((await catchUp(cookies.batch4, last)).announcements).toEqual([]);
    expect((await catchUp(cookies.batch4, 0)).announcements.map((a) => a.title)).not.toContain("For five");
  });

  it("counts unread in the header, server-rendered, and reading the page clears it", async () => {
    const unreadBefore = (await catchUp(cookies.batch5, 0)).unread;
    expect(unreadBefore).toBeGreaterThan(0);
    const dashboard = await request("/modules", { headers: { cookie: cookies.batch5 } });
    expect(await dashboard.text()).toContain(`aria-label="Announcements, ${unreadBefore} unread"`);

    const page = await request("/announcements", { headers: { cookie: cookies.batch5 } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("For five");
    expect(html).not.toContain("For four");
    expect(html.indexOf("For all")).toBeLessThan(html.indexOf("For five"));
    // The page being read shows no unread badge.
    expect(html).toContain('aria-label="Announcements"');
    expect((await catchUp(cookies.batch5, 0)).unread).toBe(0);

    const after = await request("/modules", { headers: { cookie: cookies.batch5 } });
    expect(await after.text()).toContain('aria-label="Announcements"');
  });

  it("marks read up to an id through the API, never backwards and never past the newest", async () => {
    const { announcements } = await catchUp(cookies.batch4, 0);
    const read = (upTo: unknown) =>
      request("/api/announcements/read", {
        method: "POST",
        headers: { cookie: cookies.batch4, "content-type": "application/json", ...SAME_ORIGIN },
        body: JSON.stringify({ upTo }),
      });
    const first = announcements[0]!.id;
    const response = await read(first);
    expect(response.status).toBe(200);
    expect(((await response.json()) as { unread: number }).unread).toBe(announcements.length - 1);
    // Backwards does nothing.
    expect(((await (await read(0)).json()) as { unread: number }).unread).toBe(announcements.length - 1);
    // Far ahead clamps to the newest, so the next announcement is still unread.
    expect(((await (await read(1e12)).json()) as { unread: number }).unread).toBe(0);
    await postAnnouncement({ title: "After the clamp", body: "New.", audience: "everyone" });
    expect((await catchUp(cookies.batch4, 0)).unread).toBe(1);

    expect((await read("three")).status).toBe(400);
  });

  it("shows an empty state to a member with nothing to read, and pages older announcements", async () => {
    await createAccount("ann.fresh@example.com", "brand new here");
    const fresh = await login("ann.fresh@example.com", "brand new here");
    await env.DB.prepare("delete from announcements where cohort_id is null").run();
    const empty = await (await request("/announcements", { headers: { cookie: fresh } })).text();
    expect(empty).toContain("No announcements yet");

    for (let i = 1; i <= 22; i++) {
      await env.DB.prepare("insert into announcements (title, body_markdown, body_html) values (?, '', '')")
        .bind(`Old news ${i}`)
        .run();
    }
    const first = await (await request("/announcements", { headers: { cookie: fresh } })).text();
    expect(first).toContain("Old news 22");
    expect(first).not.toContain("Old news 2<");
    const older = first.match(/href="(\/announcements\?before=\d+)"/)![1]!;
    const second = await (await request(older, { headers: { cookie: fresh } })).text();
    expect(second).toContain("Old news 2<");
    expect(second).not.toContain("Old news 22");
  });

  it("keeps announcements to members and posting to admins", async () => {
    expect((await request("/api/announcements?after=0")).status).toBe(401);
    expect((await request("/announcements")).status).toBe(302);
    expect((await request("/admin/announcements", { headers: { cookie: cookies.batch4 } })).status).toBe(404);
    const count = await latestId();
    const refused = await postAnnouncement({ title: "Fake", body: "Fake news", audience: "everyone" }, cookies.batch4);
    expect(refused.status).toBe(404);
    expect(await latestId()).toBe(count);
  });

  it("tells the admin which field is wrong and keeps what they typed", async () => {
    const response = await postAnnouncement({ title: "", body: "Kept body text", audience: "everyone" });
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toContain("Give the announcement a title.");
    expect(html).toContain("Kept body text");
    const gone = await postAnnouncement({ title: "Ghost", body: "Nobody", audience: "99999" });
    expect(gone.status).toBe(409);
    expect(await gone.text()).toContain("That cohort no longer exists");
  });
});
