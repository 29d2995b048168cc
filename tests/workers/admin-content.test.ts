import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { enrollStatement } from "../../db/seed/user-statements.ts";
import { renderMarkdown } from "../../worker/markdown/render.ts";
import { createAccount, login, post, SAME_ORIGIN } from "./accounts.ts";
import { request, seedAllContent } from "./helpers.ts";

// The admin's content pages: modules and lectures with drafts, the editor's preview, version
// history and restore, ordering, deletion, and who may use any of it.

const PASSWORD = "writes the course content";
const EMAILS = { admin: "content.admin@example.com", student: "content.student@example.com" };
const cookies = { admin: "", student: "" };

const one = <T>(query: string, ...binds: unknown[]) =>
  env.DB.prepare(query)
    .bind(...binds)
    .first<T>();
const all = async <T>(query: string, ...binds: unknown[]) =>
  (
    await env.DB.prepare(query)
      .bind(...binds)
      .all<T>()
  ).results;

const moduleId = async (slug: string) => (await one<{ id: number }>("select id from modules where slug = ?", slug))!.id;
const lectureId = async (moduleSlug: string, slug: string) =>
  (await one<{ id: number }>(
    "select lectures.id from lectures join modules on modules.id = lectures.module_id where modules.slug = ? and lectures.slug = ?",
    moduleSlug,
    slug,
  ))!.id;

const asAdmin = (path: string, fields: Record<string, string>) => post(path, fields, { cookie: cookies.admin });
const page = (path: string, cookie?: string) => request(path, { headers: cookie ? { cookie } : {} });
/** The id at the end of a redirect such as /admin/lectures/12?created=1. */
const idFrom = (response: Response) => Number(/\/(\d+)\?/.exec(response.headers.get("location") ?? "")?.[1]);

const moduleFields = (overrides: Record<string, string> = {}) => ({
  intent: "save",
  title: "Observability Labs",
  slug: "observability-labs",
  summary: "Hands-on tracing, metrics and logs for the services you deploy.",
  overviewMarkdown: "## What you build\n\nA dashboard for a real service.",
  releaseOffsetDays: "14",
  releaseTime: "09:00",
  ...overrides,
});

const lectureFields = (overrides: Record<string, string> = {}) => ({
  intent: "save",
  title: "Tracing a request end to end",
  slug: "tracing-a-request",
  summary: "Follow one request through three services with OpenTelemetry spans.",
  durationMinutes: "25",
  bodyMarkdown: "## Spans\n\nA span is one timed operation.\n\n```bash\notel-cli span --name demo\n```",
  ...overrides,
});

/** Positions of the modules (or of one module's lectures) in order: dense means exactly 1..n. */
const modulePositions = async () =>
  (await all<{ position: number }>("select position from modules order by position")).map((row) => row.position);
const lecturePositions = async (id: number) =>
  (await all<{ position: number }>("select position from lectures where module_id = ? order by position", id)).map(
    (row) => row.position,
  );
const dense = (positions: unknown[]) => positions.map((_, index) => index + 1);

const versions = (id: number) =>
  all<{ note: string; body_markdown: string; author_id: string | null }>(
    "select note, body_markdown, author_id from lecture_versions where lecture_id = ? order by id",
    id,
  );
const audited = (action: string) => one<{ n: number }>("select count(*) as n from audit_log where action = ?", action);

beforeAll(async () => {
  await seedAllContent();
  await createAccount(EMAILS.admin, PASSWORD, "admin", "Ada Admin");
  await createAccount(EMAILS.student, PASSWORD);
  await env.DB.prepare(enrollStatement(EMAILS.student, crypto.randomUUID())).run();
  cookies.admin = await login(EMAILS.admin, PASSWORD);
  cookies.student = await login(EMAILS.student, PASSWORD);
  // Rendering the whole seed curriculum takes a while when other suites share the machine.
}, 60_000);

describe("who may use the content pages", () => {
  it("answers 404 to students and visitors on every page, form and the preview API", async () => {
    const linux = await moduleId("linux");
    const shell = await lectureId("linux", "the-shell-and-filesystem");
    const paths = [
      "/admin/modules",
      "/admin/modules/new",
      `/admin/modules/${linux}`,
      `/admin/modules/${linux}/lectures/new`,
      `/admin/lectures/${shell}`,
      `/admin/lectures/${shell}/history`,
    ];
    for (const cookie of [undefined, cookies.student]) {
      const who = cookie ? "student" : "visitor";
      for (const path of paths) {
        expect((await page(path, cookie)).status, `${who} GET ${path}`).toBe(404);
        const target = path === "/admin/modules" ? "/admin/modules?index" : path;
        const posted = await post(target, { intent: "delete" }, cookie ? { cookie } : {});
        expect(posted.status, `${who} POST ${path}`).toBe(404);
      }
      const preview = await request("/api/admin/preview", {
        method: "POST",
        headers: { ...SAME_ORIGIN, "content-type": "application/json", ...(cookie ? { cookie } : {}) },
        body: JSON.stringify({ markdown: "# hello" }),
      });
      expect(preview.status, `${who} preview`).toBe(404);
      expect(await preview.text()).not.toContain("<h1");
    }
    // Nothing was deleted by those posts.
    expect(await one("select id from modules where id = ?", linux)).not.toBeNull();
    expect(await one("select id from lectures where id = ?", shell)).not.toBeNull();
  });
});

describe("drafts and publishing", () => {
  it("keeps a new module and its lectures from students until both are published", async () => {
    const created = await asAdmin("/admin/modules/new", moduleFields());
    expect(created.status).toBe(302);
    const id = idFrom(created);
    expect(created.headers.get("location")).toBe(`/admin/modules/${id}?created=1`);
    const stored = await one<{ published: number; position: number; release_time: string; overview_html: string }>(
      "select published, position, release_time, overview_html from modules where id = ?",
      id,
    );
    expect(stored).toMatchObject({ published: 0, position: 9, release_time: "09:00" });
    expect(stored!.overview_html).toContain("What you build");
    expect(await modulePositions()).toEqual(dense(await modulePositions()));

    const lecture = await asAdmin(`/admin/modules/${id}/lectures/new`, lectureFields({ published: "on" }));
    expect(lecture.status).toBe(302);
    const newLecture = idFrom(lecture);
    expect(lecture.headers.get("location")).toBe(`/admin/lectures/${newLecture}?created=1`);
    expect((await versions(newLecture)).map((version) => version.note)).toEqual(["Created"]);
    expect(await audited("module.create")).toMatchObject({ n: 1 });
    expect(await audited("lecture.create")).toMatchObject({ n: 1 });
    const editor = await (await page(`/admin/lectures/${newLecture}`, cookies.admin)).text();
    expect(editor).toContain("Not on the site yet: its module is a draft.");
    expect(editor).toContain(`href="/admin/lectures/${newLecture}/files"`);
    expect(editor).toContain(`href="/admin/lectures/${newLecture}/history"`);

    // A published lecture in a draft module stays hidden everywhere students look.
    const lecturePath = "/modules/observability-labs/tracing-a-request";
    expect((await page("/modules/observability-labs", cookies.student)).status).toBe(404);
    expect((await page(lecturePath, cookies.student)).status).toBe(404);
    expect((await page("/api/modules/observability-labs", cookies.student)).status).toBe(404);
    expect(await (await page("/modules", cookies.student)).text()).not.toContain("Observability Labs");
    expect(await (await page("/api/search?q=otel", cookies.student)).text()).not.toContain("tracing-a-request");

    const published = await asAdmin(`/admin/modules/${id}`, moduleFields({ published: "on" }));
    expect(published.status).toBe(302);
    expect(await audited("module.update")).toMatchObject({ n: 1 });
    expect((await page("/modules/observability-labs", cookies.student)).status).toBe(200);
    const shown = await page(lecturePath, cookies.student);
    expect(shown.status).toBe(200);
    expect(await shown.text()).toContain("A span is one timed operation.");
    expect(await (await page("/modules", cookies.student)).text()).toContain("Observability Labs");
    expect(await (await page(`/admin/lectures/${newLecture}`, cookies.admin)).text()).toContain(
      `href="${lecturePath}"`,
    );

    // Back to draft: the lecture disappears again; its module stays.
    const drafted = await asAdmin(`/admin/lectures/${newLecture}`, lectureFields());
    expect(drafted.status).toBe(302);
    expect((await page(lecturePath, cookies.student)).status).toBe(404);
    expect(await (await page("/modules/observability-labs", cookies.student)).text()).not.toContain(
      "Tracing a request end to end",
    );
    const modules = await (await page("/admin/modules", cookies.admin)).text();
    expect(modules).toContain("Observability Labs");
    expect(modules).toContain("1<!-- --> draft");
  });
});

describe("slugs", () => {
  it("refuses a badly formed, taken or reserved slug on the slug field, keeping everything typed", async () => {
    const modulesBefore = await one<{ n: number }>("select count(*) as n from modules");
    const bad = await asAdmin("/admin/modules/new", moduleFields({ slug: "Bad Slug!", title: "Kept Title" }));
    expect(bad.status).toBe(400);
    const badHtml = await bad.text();
    expect(badHtml).toContain('id="field-slug-error"');
    expect(badHtml).toContain("Use lowercase letters, digits and single hyphens.");
    expect(badHtml).toContain('value="Bad Slug!"');
    expect(badHtml).toContain('value="Kept Title"');

    const taken = await asAdmin("/admin/modules/new", moduleFields({ slug: "linux", title: "Another Linux" }));
    expect(taken.status).toBe(409);
    const takenHtml = await taken.text();
    expect(takenHtml).toContain("Another module already uses this slug");
    expect(takenHtml).toContain('value="Another Linux"');
    expect(takenHtml).toContain("A dashboard for a real service.");
    expect(await one("select count(*) as n from modules")).toEqual(modulesBefore);

    const linux = await moduleId("linux");
    const body = "Typed body that must survive a refusal.";
    for (const slug of ["quiz", "project"]) {
      const reserved = await asAdmin(
        `/admin/modules/${linux}/lectures/new`,
        lectureFields({ slug, bodyMarkdown: body }),
      );
      expect(reserved.status, slug).toBe(409);
      const html = await reserved.text();
      expect(html).toContain("are the module&#x27;s own pages");
      expect(html).toContain(body);
      expect(html).toContain(`value="${slug}"`);
    }
    const duplicate = await asAdmin(
      `/admin/modules/${linux}/lectures/new`,
      lectureFields({ slug: "the-shell-and-filesystem", bodyMarkdown: body }),
    );
    expect(duplicate.status).toBe(409);
    const duplicateHtml = await duplicate.text();
    expect(duplicateHtml).toContain("Another lecture in this module already uses this slug");
    expect(duplicateHtml).toContain(body);

    // Editing onto a sibling's slug is refused the same way; the same slug in another module is fine.
    const shell = await lectureId("linux", "the-shell-and-filesystem");
    const siblings = await all<{ slug: string }>(
      "select slug from lectures where module_id = ? and id <> ?",
      linux,
      shell,
    );
    const clash = await asAdmin(`/admin/lectures/${shell}`, lectureFields({ slug: siblings[0]!.slug }));
    expect(clash.status).toBe(409);
    const docker = await moduleId("docker");
    const elsewhere = await asAdmin(
      `/admin/modules/${docker}/lectures/new`,
      lectureFields({ slug: "the-shell-and-filesystem" }),
    );
    expect(elsewhere.status).toBe(302);
  });
});

describe("the editor's preview", () => {
  it("renders through the lecture pipeline and never returns script", async () => {
    const markdown = [
      "# Heading",
      "",
      "<script>alert('x')</script>",
      "",
      '<img src="x" onerror="alert(1)">',
      "",
      "[click](javascript:alert(1))",
      "",
      "```python\nprint('hi')\n```",
    ].join("\n");
    const response = await request("/api/admin/preview", {
      method: "POST",
      headers: { ...SAME_ORIGIN, "content-type": "application/json", cookie: cookies.admin },
      body: JSON.stringify({ markdown }),
    });
    expect(response.status).toBe(200);
    const { html } = (await response.json()) as { html: string };
    expect(html).toBe(renderMarkdown(markdown).html);
    expect(html).toContain("Heading</h1>");
    expect(html).toContain('class="hljs-');
    expect(html).not.toMatch(/<script|onerror|javascript:/i);

    const tooLong = await request("/api/admin/preview", {
      method: "POST",
      headers: { ...SAME_ORIGIN, "content-type": "application/json", cookie: cookies.admin },
      body: JSON.stringify({ markdown: "a".repeat(200_001) }),
    });
    expect(tooLong.status).toBe(400);
  });

  it("previews without JavaScript through the form, saving nothing and keeping the text", async () => {
    const shell = await lectureId("linux", "the-shell-and-filesystem");
    const before = await one<{ body_markdown: string }>("select body_markdown from lectures where id = ?", shell);
    const typed = "## Draft heading\n\nUnsaved <script>alert(1)</script> words.";
    const response = await asAdmin(
      `/admin/lectures/${shell}`,
      lectureFields({ intent: "preview", bodyMarkdown: typed }),
    );
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('aria-label="Preview"');
    expect(html).toContain("Draft heading<a");
    expect(html).toContain("Unsaved  words.");
    expect(html).toContain("Unsaved &lt;script&gt;alert(1)&lt;/script&gt; words.");
    expect(html).not.toContain("<script>alert(1)</script>");
    expect(await one("select body_markdown from lectures where id = ?", shell)).toEqual(before);
  });
});

describe("version history", () => {
  it("grows with every save, and restoring brings back the old text and its html", async () => {
    const id = await lectureId("linux", "the-shell-and-filesystem");
    const original = (await one<{ body_markdown: string; body_html: string }>(
      "select body_markdown, body_html from lectures where id = ?",
      id,
    ))!;
    expect(await versions(id)).toEqual([]);

    const first = await asAdmin(
      `/admin/lectures/${id}`,
      lectureFields({
        slug: "the-shell-and-filesystem",
        published: "on",
        bodyMarkdown: "## First rewrite\r\n\r\nOne.",
      }),
    );
    expect(first.status).toBe(302);
    expect(first.headers.get("location")).toBe(`/admin/lectures/${id}?saved=1`);
    const second = await asAdmin(
      `/admin/lectures/${id}`,
      lectureFields({
        slug: "the-shell-and-filesystem",
        published: "on",
        bodyMarkdown: "## Second rewrite\n\nTwo.",
        note: "Shorter intro",
      }),
    );
    expect(second.status).toBe(302);

    const saved = await versions(id);
    // The seeded text is kept as a baseline before the first edit.
    expect(saved.map((version) => version.note)).toEqual([
      "As it was before its first edit here",
      "Edited",
      "Shorter intro",
    ]);
    expect(saved[0]!.body_markdown).toBe(original.body_markdown);
    expect(saved[1]!.body_markdown).toBe("## First rewrite\n\nOne.");
    expect(saved[1]!.author_id).not.toBeNull();
    expect(await audited("lecture.update")).toMatchObject({ n: 3 });

    const history = await (await page(`/admin/lectures/${id}/history`, cookies.admin)).text();
    expect(history).toContain("Version <!-- -->3<!-- -->: <!-- -->Shorter intro");
    expect(history).toContain("Ada Admin");
    expect(history).toContain("Changes since version 2");
    expect(history).toContain("Second rewrite");

    const versionIds = await all<{ id: number }>(
      "select id from lecture_versions where lecture_id = ? order by id",
      id,
    );
    const oldest = await (
      await page(`/admin/lectures/${id}/history?version=${versionIds[0]!.id}`, cookies.admin)
    ).text();
    expect(oldest).toContain("Restore this version");
    expect((await page(`/admin/lectures/${id}/history?version=999999`, cookies.admin)).status).toBe(404);

    const restored = await asAdmin(`/admin/lectures/${id}/history`, {
      intent: "restore",
      versionId: String(versionIds[0]!.id),
    });
    expect(restored.status).toBe(302);
    expect(restored.headers.get("location")).toBe(`/admin/lectures/${id}?restored=1`);
    const now = (await one<{ body_markdown: string; body_html: string; published: number }>(
      "select body_markdown, body_html, published from lectures where id = ?",
      id,
    ))!;
    expect(now.body_markdown).toBe(original.body_markdown);
    expect(now.body_html).toBe(original.body_html);
    expect(now.published).toBe(1);
    const after = await versions(id);
    expect(after).toHaveLength(4);
    expect(after[3]!.note).toBe("Restored version 1");
    expect(await audited("lecture.restore")).toMatchObject({ n: 1 });

    // A version of another lecture cannot be restored onto this one.
    const other = await lectureId("docker", "containers-from-first-principles");
    const foreign = await asAdmin(`/admin/lectures/${other}/history`, {
      intent: "restore",
      versionId: String(versionIds[0]!.id),
    });
    expect(foreign.status).toBe(404);
  });
});

describe("ordering", () => {
  it("moves modules and lectures up and down, keeping positions 1..n", async () => {
    const docker = await moduleId("docker");
    const before = (await one<{ position: number }>("select position from modules where id = ?", docker))!.position;
    const up = await asAdmin("/admin/modules?index", { intent: "move", id: String(docker), direction: "up" });
    expect(up.status).toBe(302);
    expect((await one<{ position: number }>("select position from modules where id = ?", docker))!.position).toBe(
      before - 1,
    );
    expect(await modulePositions()).toEqual(dense(await modulePositions()));
    await asAdmin("/admin/modules?index", { intent: "move", id: String(docker), direction: "down" });
    expect((await one<{ position: number }>("select position from modules where id = ?", docker))!.position).toBe(
      before,
    );
    expect(await audited("module.reorder")).toMatchObject({ n: 2 });

    const first = (await all<{ id: number }>("select id from modules order by position limit 1"))[0]!.id;
    const edge = await asAdmin("/admin/modules?index", { intent: "move", id: String(first), direction: "up" });
    expect(edge.status).toBe(302);
    expect(await modulePositions()).toEqual(dense(await modulePositions()));

    const lectures = await all<{ id: number }>("select id from lectures where module_id = ? order by position", docker);
    const moved = await asAdmin(`/admin/modules/${docker}`, {
      intent: "move-lecture",
      id: String(lectures[0]!.id),
      direction: "down",
    });
    expect(moved.status).toBe(302);
    const order = await all<{ id: number }>("select id from lectures where module_id = ? order by position", docker);
    expect(order.slice(0, 2).map((row) => row.id)).toEqual([lectures[1]!.id, lectures[0]!.id]);
    expect(await lecturePositions(docker)).toEqual(dense(lectures));
    expect(await audited("lecture.reorder")).toMatchObject({ n: 1 });

    // A lecture of another module cannot be moved through this module's page.
    const linux = await moduleId("linux");
    const foreign = await asAdmin(`/admin/modules/${linux}`, {
      intent: "move-lecture",
      id: String(lectures[0]!.id),
      direction: "up",
    });
    expect(foreign.status).toBe(404);
  });

  it("moves a lecture to another module: to its end, both modules stay dense", async () => {
    const aws = await moduleId("aws");
    const terraform = await moduleId("terraform");
    const [lecture] = await all<{ id: number; slug: string }>(
      "select id, slug from lectures where module_id = ? order by position limit 1",
      aws,
    );
    const targetCount = (await lecturePositions(terraform)).length;
    const response = await asAdmin(`/admin/lectures/${lecture!.id}`, {
      intent: "move-module",
      moduleId: String(terraform),
    });
    expect(response.status).toBe(302);
    expect(
      await one<{ module_id: number; position: number }>(
        "select module_id, position from lectures where id = ?",
        lecture!.id,
      ),
    ).toEqual({ module_id: terraform, position: targetCount + 1 });
    expect(await lecturePositions(aws)).toEqual(dense(await lecturePositions(aws)));
    expect(await lecturePositions(terraform)).toEqual(dense(await lecturePositions(terraform)));
    expect(await audited("lecture.move")).toMatchObject({ n: 1 });

    // Back into a module that already has a lecture with that slug: refused on the select.
    await env.DB.prepare(
      "insert into lectures (module_id, slug, title, summary, body_markdown, body_html, body_text, duration_minutes, position) values (?, ?, 'Twin', 'A twin lecture here.', 'x', '<p>x</p>', 'x', 5, 99)",
    )
      .bind(aws, lecture!.slug)
      .run();
    const clash = await asAdmin(`/admin/lectures/${lecture!.id}`, { intent: "move-module", moduleId: String(aws) });
    expect(clash.status).toBe(409);
    expect(await clash.text()).toContain("already uses this lecture&#x27;s slug");
  });
});

describe("deleting", () => {
  it("deletes a lecture with its student records and versions, closing the gap", async () => {
    const docker = await moduleId("docker");
    const [target] = await all<{ id: number }>(
      "select id from lectures where module_id = ? order by position limit 1 offset 1",
      docker,
    );
    const student = "(select id from users where email = ?)";
    await env.DB.batch([
      env.DB.prepare(
        `insert into lecture_progress (user_id, lecture_id, position_seconds) values (${student}, ?, 30)`,
      ).bind(EMAILS.student, target!.id),
      env.DB.prepare(
        `insert into lecture_notes (user_id, lecture_id, body_markdown) values (${student}, ?, 'mine')`,
      ).bind(EMAILS.student, target!.id),
    ]);
    const editor = await (await page(`/admin/lectures/${target!.id}`, cookies.admin)).text();
    expect(editor).toContain("1 progress record and 1 private note");

    const response = await asAdmin(`/admin/lectures/${target!.id}`, { intent: "delete" });
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toMatch(new RegExp(`^/admin/modules/${docker}\\?deleted=`));
    for (const table of ["lectures", "lecture_progress", "lecture_notes", "lecture_versions"]) {
      const column = table === "lectures" ? "id" : "lecture_id";
      expect(await one(`select count(*) as n from ${table} where ${column} = ?`, target!.id), table).toEqual({ n: 0 });
    }
    expect(await lecturePositions(docker)).toEqual(dense(await lecturePositions(docker)));
    expect(await audited("lecture.delete")).toMatchObject({ n: 1 });
  });

  it("says what a module's deletion takes along, then deletes it all and closes the gap", async () => {
    const kubernetes = await moduleId("kubernetes");
    const student = "(select id from users where email = ?)";
    const [lecture] = await all<{ id: number }>("select id from lectures where module_id = ? limit 1", kubernetes);
    await env.DB.batch([
      env.DB.prepare(
        `insert into lecture_progress (user_id, lecture_id, completed_at) values (${student}, ?, unixepoch())`,
      ).bind(EMAILS.student, lecture!.id),
      env.DB.prepare(
        `insert into quiz_attempts (id, user_id, quiz_id, correct_count, question_count, score_percent, passed, feedback_json)
         select ?, ${student}, id, 1, 1, 100, 1, '[]' from quizzes where module_id = ?`,
      ).bind(crypto.randomUUID(), EMAILS.student, kubernetes),
    ]);
    const lectureCount = (await lecturePositions(kubernetes)).length;
    const html = await (await page(`/admin/modules/${kubernetes}`, cookies.admin)).text();
    expect(html).toContain(`${lectureCount} lectures`);
    expect(html).toContain("2 student records");
    expect(html).toContain("1 progress record and 1 quiz attempt");

    const response = await asAdmin(`/admin/modules/${kubernetes}`, { intent: "delete" });
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/admin/modules?deleted=Kubernetes+in+Practice");
    expect(await one("select count(*) as n from modules where id = ?", kubernetes)).toEqual({ n: 0 });
    expect(await one("select count(*) as n from lectures where module_id = ?", kubernetes)).toEqual({ n: 0 });
    expect(await one("select count(*) as n from quizzes where module_id = ?", kubernetes)).toEqual({ n: 0 });
    expect(await one("select count(*) as n from lecture_progress where lecture_id = ?", lecture!.id)).toEqual({ n: 0 });
    expect(
      await one(
        "select count(*) as n from quiz_attempts where user_id = (select id from users where email = ?)",
        EMAILS.student,
      ),
    ).toEqual({ n: 0 });
    expect(await modulePositions()).toEqual(dense(await modulePositions()));
    const entry = await one<{ summary: string }>("select summary from audit_log where action = 'module.delete'");
    expect(entry!.summary).toBe(
      `Deleted module "Kubernetes in Practice" with ${lectureCount} lectures and 2 student records`,
    );
  });
});
