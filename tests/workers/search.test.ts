import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { searchLectures, toMatchExpression } from "../../db/queries/search.ts";
import { seedDemoCurriculum, testDatabase } from "./helpers.ts";

const text = (parts: Array<{ text: string }>) => parts.map((part) => part.text).join("");

// Someone who may read every lecture, so snippets come from bodies (access: learning.test.ts).
const ADMIN = { id: "admin", name: "Admin", email: "admin@example.com", role: "admin" as const, emailVerified: true };

describe("full-text search (FTS5 in D1)", () => {
  beforeAll(async () => {
    await seedDemoCurriculum();
  });

  it("finds a lecture by a word in its body, with the match marked in the snippet", async () => {
    const results = await searchLectures(testDatabase(), "CrashLoopBackOff", ADMIN);
    expect(results[0]).toMatchObject({ moduleSlug: "kubernetes", lectureSlug: "debugging-workloads" });
    const marked = results[0]!.snippet.filter((part) => part.match).map((part) => part.text.toLowerCase());
    expect(marked).toContain("crashloopbackoff");
  });

  it("matches stems and prefixes, and ranks title matches first", async () => {
    const stemmed = await searchLectures(testDatabase(), "subnets", ADMIN);
    expect(stemmed.map((hit) => hit.lectureSlug)).toContain("ip-addressing-and-subnetting");
    const prefix = await searchLectures(testDatabase(), "terrafo", ADMIN);
    expect(prefix.length).toBeGreaterThan(0);
    const byTitle = await searchLectures(testDatabase(), "dns", ADMIN);
    expect(byTitle[0]!.lectureSlug).toBe("dns-in-practice");
    expect(byTitle[0]!.title.some((part) => part.match)).toBe(true);
  });

  it("treats FTS syntax in the query as plain words", async () => {
    expect(toMatchExpression('kube" OR title:* NEAR(')).toBe(
      '("kube" OR "kube"*) AND ("or" OR "or"*) AND ("title" OR "title"*) AND ("near" OR "near"*)',
    );
    expect(toMatchExpression("!!! ***")).toBeNull();
    await expect(searchLectures(testDatabase(), '"unbalanced * AND (', ADMIN)).resolves.toBeInstanceOf(Array);
  });

  it("keeps the index in step with edits and unpublishing", async () => {
    await env.DB.prepare(
      "update lectures set body_text = 'Zebrafish are a model organism.' where slug = 'dns-in-practice'",
    ).run();
    const hits = await searchLectures(testDatabase(), "zebrafish", ADMIN);
    expect(hits.map((hit) => hit.lectureSlug)).toEqual(["dns-in-practice"]);
    expect(text(hits[0]!.snippet)).toContain("Zebrafish");

    await env.DB.prepare("update lectures set published = 0 where slug = 'dns-in-practice'").run();
    expect(await searchLectures(testDatabase(), "zebrafish", ADMIN)).toEqual([]);
  });
});
