import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";

describe("D1 migrations", () => {
  it("create the curriculum tables, the FTS5 index and its triggers", async () => {
    const { results } = await env.DB.prepare(
      "select type, name from sqlite_master where type in ('table', 'trigger') order by name",
    ).all<{ type: string; name: string }>();
    const names = results.map((row) => `${row.type}:${row.name}`);
    expect(names).toEqual(
      expect.arrayContaining([
        "table:modules",
        "table:lectures",
        "table:lectures_fts",
        "trigger:lectures_fts_after_insert",
        "trigger:lectures_fts_after_update",
        "trigger:lectures_fts_after_delete",
      ]),
    );
  });

  it("enforce unique module slugs and lecture slugs within a module", async () => {
    await env.DB.prepare(
      "insert into modules (slug, title, summary, position) values ('linux', 'Linux', 'Shell', 1)",
    ).run();
    await expect(
      env.DB.prepare("insert into modules (slug, title, summary, position) values ('linux', 'Again', 'Dup', 2)").run(),
    ).rejects.toThrow(/UNIQUE/);
    const insertLecture = env.DB.prepare(
      `insert into lectures (module_id, slug, title, summary, body_markdown, body_html, body_text, duration_minutes, position)
       values ((select id from modules where slug = 'linux'), 'shell', 'Shell', 's', '', '', '', 30, 1)`,
    );
    await insertLecture.run();
    await expect(insertLecture.run()).rejects.toThrow(/UNIQUE/);
  });
});
