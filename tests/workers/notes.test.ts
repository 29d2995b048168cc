import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { NOTE_MAX_LENGTH } from "../../db/schema.ts";
import { createAccount, login, post } from "./accounts.ts";
import { request, seedDemoCurriculum } from "./helpers.ts";

const PREVIEW = "/modules/linux/the-shell-and-filesystem";
const LOCKED = "/modules/linux/users-groups-and-permissions";
const cookies = { author: "", other: "" };
let previewId = 0;
let lockedId = 0;

const noteOf = (email: string, lectureId: number) =>
  env.DB.prepare(
    "select body_markdown from lecture_notes n join users u on u.id = n.user_id where u.email = ? and n.lecture_id = ?",
  )
    .bind(email, lectureId)
    .first<string>("body_markdown");

describe("private lecture notes", () => {
  beforeAll(async () => {
    await seedDemoCurriculum();
    await createAccount("author@example.com", "writes many notes");
    await createAccount("snoop@example.com", "would like to read");
    cookies.author = await login("author@example.com", "writes many notes");
    cookies.other = await login("snoop@example.com", "would like to read");
    const id = (slug: string) =>
      env.DB.prepare("select id from lectures where slug = ?").bind(slug).first<number>("id");
    previewId = (await id("the-shell-and-filesystem"))!;
    lockedId = (await id("users-groups-and-permissions"))!;
  });

  it("saves a note, shows it on the lecture for its author only, and replaces it on the next save", async () => {
    const save = (body: string) =>
      post(PREVIEW, { intent: "note", lectureId: String(previewId), body }, { cookie: cookies.author });
    expect((await save("- `pwd` prints where I am")).status).toBe(200);
    expect((await save("- `pwd` prints where I am\n- `cd -` goes back")).status).toBe(200);
    expect(await noteOf("author@example.com", previewId)).toBe("- `pwd` prints where I am\n- `cd -` goes back");

    expect(await (await request(PREVIEW, { headers: { cookie: cookies.author } })).text()).toContain("goes back");
    expect(await (await request(PREVIEW, { headers: { cookie: cookies.other } })).text()).not.toContain("goes back");
    expect(await (await request("/notes", { headers: { cookie: cookies.other } })).text()).not.toContain("goes back");
  });

  it("refuses an oversized note with a clear message and keeps the saved one", async () => {
    const response = await post(
      PREVIEW,
      { intent: "note", lectureId: String(previewId), body: "x".repeat(NOTE_MAX_LENGTH + 1) },
      { cookie: cookies.author },
    );
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("Notes can be up to 20,000 characters");
    expect(await noteOf("author@example.com", previewId)).toContain("goes back");
  });

  it("refuses notes on lectures the student cannot open", async () => {
    const response = await post(
      LOCKED,
      { intent: "note", lectureId: String(lockedId), body: "sneaky" },
      { cookie: cookies.author },
    );
    expect(response.status).toBe(403);
    expect(await noteOf("author@example.com", lockedId)).toBeNull();
  });

  it("never touches another student's note: a save only ever writes the actor's own row", async () => {
    await post(
      PREVIEW,
      { intent: "note", lectureId: String(previewId), body: "snoop's own note" },
      { cookie: cookies.other },
    );
    expect(await noteOf("author@example.com", previewId)).toContain("goes back");
    expect(await noteOf("snoop@example.com", previewId)).toBe("snoop's own note");
  });

  it("exports every note of the student, and only theirs, as one markdown file", async () => {
    const response = await request("/notes/export", { headers: { cookie: cookies.author } });
    expect(response.headers.get("content-type")).toBe("text/markdown; charset=utf-8");
    expect(response.headers.get("content-disposition")).toContain("attachment");
    const markdown = await response.text();
    expect(markdown).toMatch(/^# Notes of Test Person/);
    expect(markdown).toContain("## Linux Foundations");
    expect(markdown).toContain("### The shell and the filesystem");
    expect(markdown).toContain("- `cd -` goes back");
    expect(markdown).not.toContain("snoop's own note");
  });

  it("deletes a note that is emptied", async () => {
    await post(PREVIEW, { intent: "note", lectureId: String(previewId), body: "   " }, { cookie: cookies.other });
    expect(await noteOf("snoop@example.com", previewId)).toBeNull();
  });
});
