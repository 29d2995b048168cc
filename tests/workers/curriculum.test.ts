import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { getPublishedLecture, getPublishedModule, listPublishedModules } from "../../db/queries/curriculum.ts";
import { parseCurriculum } from "../../db/seed/curriculum.ts";
import { seedDemoCurriculum, seedFiles, testDatabase } from "./helpers.ts";

describe("the seed curriculum", () => {
  it("is a real DevOps programme: at least 6 modules of at least 4 lectures", () => {
    const curriculum = parseCurriculum(seedFiles());
    expect(curriculum.length).toBeGreaterThanOrEqual(6);
    for (const module of curriculum) {
      expect(module.lectures.length, module.slug).toBeGreaterThanOrEqual(4);
      expect(module.lectures[0]?.preview, `${module.slug} opens with a free preview`).toBe(true);
      for (const lecture of module.lectures) {
        expect(lecture.markdown, `${module.slug}/${lecture.slug}`).toMatch(/```bash/);
        expect(lecture.markdown, `${module.slug}/${lecture.slug}`).not.toMatch(/lorem ipsum|\bTODO\b|coming soon/i);
      }
    }
  });

  it("rejects front matter that does not validate, naming the file and field", () => {
    expect(() =>
      parseCurriculum([
        { path: "01-linux/_module.md", source: "---\ntitle: Linux\nsummary: The shell and the filesystem.\n---\n" },
        {
          path: "01-linux/01-shell.md",
          source: "---\ntitle: Shell\nsummary: Using the shell well.\nduration: soon\npreview: true\n---\n",
        },
      ]),
    ).toThrow(/01-linux\/01-shell\.md: invalid front matter \(duration/);
  });
});

describe("curriculum queries on D1", () => {
  beforeAll(async () => {
    await seedDemoCurriculum();
  });

  it("lists published modules in order with lecture counts and total duration", async () => {
    const modules = await listPublishedModules(testDatabase());
    const curriculum = parseCurriculum(seedFiles());
    expect(modules.map((module) => module.slug)).toEqual(curriculum.map((module) => module.slug));
    const linux = curriculum.find((module) => module.slug === "linux")!;
    expect(modules[0]).toMatchObject({
      slug: "linux",
      lectureCount: linux.lectures.length,
      totalMinutes: linux.lectures.reduce((sum, lecture) => sum + lecture.duration, 0),
      previewCount: 1,
    });
  });

  it("returns a module's lectures in position order", async () => {
    const found = await getPublishedModule(testDatabase(), "kubernetes", null);
    const positions = found!.lectures.map((lecture) => lecture.position);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    expect(found!.lectures[0]!.freePreview).toBe(true);
    expect(found!.module.number).toBe(6);
    expect(await getPublishedModule(testDatabase(), "no-such-module", null)).toBeNull();
  });

  it("links a lecture to its neighbours, across module boundaries too", async () => {
    const docker = (await getPublishedModule(testDatabase(), "docker", null))!;
    const kubernetes = (await getPublishedModule(testDatabase(), "kubernetes", null))!;
    const first = kubernetes.lectures[0]!;
    const page = (await getPublishedLecture(testDatabase(), "kubernetes", first.slug, null))!;
    expect(page.lecture).toMatchObject({ slug: first.slug, title: first.title, moduleSlug: "kubernetes" });
    expect(page.previous).toEqual({
      moduleSlug: "docker",
      moduleTitle: docker.module.title,
      lectureSlug: docker.lectures.at(-1)!.slug,
      lectureTitle: docker.lectures.at(-1)!.title,
    });
    expect(page.next?.lectureSlug).toBe(kubernetes.lectures[1]!.slug);
    expect(page.outline.map((item) => item.slug)).toEqual(kubernetes.lectures.map((lecture) => lecture.slug));
  });

  it("hides unpublished lectures and modules", async () => {
    await env.DB.prepare("update lectures set published = 0 where slug = 'debugging-workloads'").run();
    expect(await getPublishedLecture(testDatabase(), "kubernetes", "debugging-workloads", null)).toBeNull();
    const kubernetes = (await getPublishedModule(testDatabase(), "kubernetes", null))!;
    expect(kubernetes.lectures.map((lecture) => lecture.slug)).not.toContain("debugging-workloads");

    await env.DB.prepare("update modules set published = 0 where slug = 'monitoring'").run();
    expect((await listPublishedModules(testDatabase())).map((module) => module.slug)).not.toContain("monitoring");
    expect(await getPublishedModule(testDatabase(), "monitoring", null)).toBeNull();

    // Modules are numbered by their place among published modules, not by raw position.
    await env.DB.prepare("update modules set published = 0 where slug = 'networking'").run();
    expect((await getPublishedModule(testDatabase(), "kubernetes", null))!.module.number).toBe(5);
  });

  it("seeds idempotently: a second run changes no ids and adds no rows", async () => {
    const before = await env.DB.prepare("select id, slug from lectures order by id").all();
    await seedDemoCurriculum();
    await seedDemoCurriculum();
    const after = await env.DB.prepare("select id, slug from lectures order by id").all();
    expect(after.results).toEqual(before.results);
    const { results } = await env.DB.prepare("select count(*) as n from lectures_fts").all<{ n: number }>();
    expect(results[0]!.n).toBe(before.results.length);
  });
});
