import { env } from "cloudflare:workers";
import { strToU8, zipSync, type Zippable } from "fflate";
import { beforeAll, describe, expect, it } from "vitest";
import { parseFeed } from "../../db/import/feed.ts";
import { fetchFeed } from "../../db/import/fetch-feed.ts";
import { htmlToMarkdown } from "../../db/import/html-to-markdown.ts";
import { applyImport, previewImport, type SourceBytes } from "../../db/import/run.ts";
import { ImportError } from "../../db/import/types.ts";
import { readZip } from "../../db/import/zip.ts";
import type { CurrentUser } from "../../worker/auth/context.ts";
import devopsFeed from "../fixtures/devops-blog-feed.xml?raw";
import { createAccount, login, SAME_ORIGIN } from "./accounts.ts";
import { request, seedDemoCurriculum, testDatabase } from "./helpers.ts";

// Importing lectures from RSS/Atom feeds and zips of markdown: what is parsed, what is
// refused, what a preview shows, and that importing the same source twice changes nothing.

const PASSWORD = "imports the lectures";
const EMAILS = { admin: "import.admin@example.com", student: "import.student@example.com" };
const cookies = { admin: "", student: "" };
let admin: CurrentUser;

const db = () => testDatabase();
const bytes = (text: string) => new TextEncoder().encode(text);
const feed = (xml: string, moduleSlug = "docker", name = "feed.xml"): SourceBytes => ({
  kind: "feed",
  name,
  moduleSlug,
  bytes: bytes(xml),
});
const zip = (files: Zippable, name = "lectures.zip"): SourceBytes => ({
  kind: "zip",
  name,
  moduleSlug: null,
  bytes: zipSync(files),
});

const count = async (table: string, where = "1 = 1") =>
  (await env.DB.prepare(`select count(*) as n from ${table} where ${where}`).first<number>("n")) ?? 0;

async function tableCounts() {
  return {
    lectures: await count("lectures"),
    versions: await count("lecture_versions"),
    audit: await count("audit_log"),
  };
}

const lectureBySource = (sourceId: string) =>
  env.DB.prepare(
    "select id, slug, title, published, body_markdown, body_html, module_id from lectures where source_id = ?",
  )
    .bind(sourceId)
    .first<{
      id: number;
      slug: string;
      title: string;
      published: number;
      body_markdown: string;
      body_html: string;
      module_id: number;
    }>();

const versionsOf = (lectureId: number) =>
  env.DB.prepare("select note from lecture_versions where lecture_id = ? order by id")
    .bind(lectureId)
    .all<{ note: string }>()
    .then((result) => result.results.map((row) => row.note));

/** Preview then apply, as the two steps of the page do. */
async function importNow(source: SourceBytes) {
  const preview = await previewImport(db(), admin, source);
  const applied = await applyImport(db(), admin, source, preview.fingerprint, crypto.randomUUID());
  if (!applied.ok) throw new Error("the plan changed between preview and apply");
  return { plan: preview.plan, ...applied.applied };
}

function rss(items: string[], title = "Test Feed") {
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>${title}</title><link>https://blog.example.com/</link>${items.join("\n")}</channel></rss>`;
}

function rssItem(guid: string, title: string, html: string, date = "Mon, 03 Nov 2025 09:00:00 GMT") {
  return `<item><title>${title}</title><link>https://blog.example.com/${guid}</link>
<guid isPermaLink="false">${guid}</guid><pubDate>${date}</pubDate>
<content:encoded><![CDATA[${html}]]></content:encoded></item>`;
}

beforeAll(async () => {
  await seedDemoCurriculum();
  await createAccount(EMAILS.admin, PASSWORD, "admin", "Import Admin");
  await createAccount(EMAILS.student, PASSWORD);
  cookies.admin = await login(EMAILS.admin, PASSWORD);
  cookies.student = await login(EMAILS.student, PASSWORD);
  const row = await env.DB.prepare("select id from users where email = ?").bind(EMAILS.admin).first<{ id: string }>();
  admin = { id: row!.id, name: "Import Admin", email: EMAILS.admin, role: "admin", emailVerified: true };
});

describe("feeds", () => {
  it("imports an RSS 2.0 feed as draft lectures with their code languages kept", async () => {
    const before = await count("lectures", "module_id = (select id from modules where slug = 'docker')");
    const result = await importNow(feed(devopsFeed, "docker", "devops-blog-feed.xml"));
    expect(result.plan.counts).toEqual({ create: 3, update: 0, skip: 0 });
    expect(result.created).toHaveLength(3);

    const images = await lectureBySource("feed:platform-notes-2025-11-18-multi-stage-node-images");
    expect(images).toMatchObject({ slug: "smaller-node-js-images-with-multi-stage-docker-builds", published: 0 });
    expect(images!.body_markdown).toContain("```dockerfile\nFROM node:22-bookworm AS build");
    expect(images!.body_html).toContain('class="hljs language-dockerfile"');
    expect(images!.body_markdown).toContain("[Docker documentation on multi-stage builds](https://docs.docker.com/");

    const probes = await lectureBySource("feed:platform-notes-2025-11-04-honest-readiness-probes");
    // GitHub's highlighted markup comes back as the plain code it marked up.
    expect(probes!.body_markdown).toContain("```yaml\napiVersion: apps/v1\nkind: Deployment");
    const disk = await lectureBySource("feed:platform-notes-2025-10-21-finding-what-filled-the-disk");
    expect(disk!.body_markdown).toContain("```bash\ndf -h /");
    expect(disk!.body_markdown).toContain("2>/dev/null");

    // Oldest post first, after the module's own lectures; every lecture has its import snapshot.
    const positions = await env.DB.prepare("select position from lectures where id in (?, ?, ?) order by position")
      .bind(disk!.id, probes!.id, images!.id)
      .all<{ position: number }>();
    expect(positions.results.map((row) => row.position)).toEqual([before + 1, before + 2, before + 3]);
    expect(await versionsOf(disk!.id)).toEqual(["Imported from feed"]);
    expect(await count("audit_log", "action = 'lecture.import' and summary like '%“Platform Notes”: 3 created%'")).toBe(
      1,
    );
  });

  it("reads Atom feeds: escaped HTML and inline XHTML content, alternate links, ids", async () => {
    const atom = `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title type="text">Ops Journal</title>
  <entry>
    <title type="html">Helm values &amp;amp; secrets</title>
    <id>urn:uuid:7d2c3b1e-0001-4c1a-9f6e-5d1f0a1b2c3d</id>
    <link rel="edit" href="https://ops.example.com/api/1"/>
    <link rel="alternate" href="https://ops.example.com/helm-values"/>
    <published>2025-09-01T08:00:00Z</published>
    <summary>Keep secrets out of values files and pass them at install time instead.</summary>
    <content type="html">&lt;p&gt;Values files end up in Git.&lt;/p&gt;&lt;pre&gt;&lt;code class="lang-yaml"&gt;image:
  tag: "1.2.3"&lt;/code&gt;&lt;/pre&gt;&lt;p&gt;See &lt;a href="/docs/secrets"&gt;the secrets guide&lt;/a&gt;.&lt;/p&gt;</content>
  </entry>
  <entry>
    <title>Tracing a slow request with curl</title>
    <id>urn:uuid:7d2c3b1e-0002-4c1a-9f6e-5d1f0a1b2c3d</id>
    <link href="https://ops.example.com/curl-timing"/>
    <updated>2025-09-08T08:00:00Z</updated>
    <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>curl can time every phase of a request &amp; show where it waits.</p><pre data-lang="bash">curl -w '%{time_connect} %{time_starttransfer}\\n' -o /dev/null -s https://example.com/</pre></div></content>
  </entry>
</feed>`;
    const result = await importNow(feed(atom, "kubernetes", "ops.atom"));
    expect(result.plan.counts.create).toBe(2);
    const helm = await lectureBySource("feed:urn:uuid:7d2c3b1e-0001-4c1a-9f6e-5d1f0a1b2c3d");
    expect(helm!.title).toBe("Helm values & secrets");
    expect(helm!.body_markdown).toContain('```yaml\nimage:\n  tag: "1.2.3"\n```');
    // Relative links resolve against the entry's alternate link.
    expect(helm!.body_markdown).toContain("[the secrets guide](https://ops.example.com/docs/secrets)");
    const summary = await env.DB.prepare("select summary from lectures where id = ?").bind(helm!.id).first("summary");
    expect(summary).toBe("Keep secrets out of values files and pass them at install time instead.");
    const curl = await lectureBySource("feed:urn:uuid:7d2c3b1e-0002-4c1a-9f6e-5d1f0a1b2c3d");
    expect(curl!.body_markdown).toContain("curl can time every phase of a request & show where it waits.");
    expect(curl!.body_markdown).toContain("```bash\ncurl -w");
  });

  it("makes hostile items safe: no scripts, handlers, javascript: links or frames survive", async () => {
    const hostile = [
      "<p>Intro text for a lecture that tries everything at once.</p>",
      "<script>alert('xss')</script>",
      '<img src="x" onerror="alert(1)"><img src="data:image/svg+xml;base64,PHN2Zz4=" alt="inline">',
      '<p onclick="steal()">Click <a href="javascript:alert(document.cookie)">here</a>,',
      ' <a href="JaVaScRiPt&#x3a;alert(1)">there</a>, <a href=" java\tscript:alert(2)">everywhere</a>',
      ' or <a href="vbscript:msgbox(1)">old</a> and <a href="data:text/html,<script>alert(3)</script>">data</a>.</p>',
      '<iframe src="https://evil.example/"></iframe><object data="x.swf"></object><embed src="x.swf">',
      '<svg onload="alert(4)"><circle r="5"/></svg><style>body{display:none}</style>',
      "<form action='https://evil.example/'><input name='password'><button>Go</button></form>",
      "<p>Literal markup stays text: &lt;script&gt;alert(5)&lt;/script&gt;</p>",
      '<pre><code class="language-bash">echo "&lt;/code&gt;&lt;script&gt;alert(6)&lt;/script&gt;"</code></pre>',
    ].join("");
    const xml = rss([rssItem("hostile-1", "Everything at once", hostile)], "Hostile");
    const result = await importNow(feed(xml, "linux"));
    expect(result.plan.counts.create).toBe(1);
    const lecture = await lectureBySource("feed:hostile-1");
    const html = lecture!.body_html;
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/\son\w+\s*=/i);
    expect(html).not.toMatch(/(javascript|vbscript|data):/i);
    expect(html).not.toMatch(/<(iframe|object|embed|svg|style|form|input|button)/i);
    // The markdown is text: markup in it is escaped or inside a code block, and the dropped parts are gone.
    const markdown = lecture!.body_markdown;
    expect(markdown).not.toMatch(/javascript|vbscript|data:|onerror|onclick|onload|steal\(\)|iframe|swf|password/i);
    expect(markdown).not.toMatch(/alert\((1|2|3|4|'xss')\)/);
    // Unsafe links keep their words as text; code keeps its characters, escaped.
    expect(lecture!.body_html).toMatch(/Click here, there, everywhere or old and data\./);
    expect(lecture!.body_html).toContain("Literal markup stays text: &#x3C;script>alert(5)&#x3C;/script>");
    expect(lecture!.body_markdown).toContain('```bash\necho "</code><script>alert(6)</script>"\n```');
    expect(lecture!.body_html).toContain("&#x3C;/code>&#x3C;script>alert(6)&#x3C;/script>");
  });

  it("skips huge, untitled and unidentifiable items with a reason, and imports the rest", async () => {
    const huge = `<p>${"Container images are layered. ".repeat(20_000)}</p>`;
    const xml = rss([
      rssItem("huge-1", "An enormous post", huge),
      `<item><link>https://blog.example.com/untitled</link><description>&lt;p&gt;No title.&lt;/p&gt;</description></item>`,
      `<item><title>Nowhere to be found</title><description>&lt;p&gt;Neither a guid nor a link.&lt;/p&gt;</description></item>`,
      rssItem("empty-1", "Only a script", "<script>alert(1)</script>"),
      rssItem("small-1", "Reading systemd unit files", "<p>Every service on the box is described by a unit file.</p>"),
    ]);
    const { plan } = await previewImport(db(), admin, feed(xml, "linux"));
    expect(plan.counts).toEqual({ create: 1, update: 0, skip: 4 });
    const reasons = Object.fromEntries(plan.rows.map((row) => [row.origin, row.reason]));
    expect(reasons["Item 1"]).toMatch(/Its content is \d+ KB; items over 500 KB are not imported\./);
    expect(reasons["Item 2"]).toBe("It has no title.");
    expect(reasons["Item 3"]).toMatch(/neither a guid nor a link/);
    expect(reasons["Item 4"]).toMatch(/Nothing is left of its content/);
    expect(reasons["Item 5"]).toMatch(/^New draft lecture, position \d+\.$/);
  });

  it("refuses broken XML with a message naming the problem, and writes nothing", async () => {
    const before = await tableCounts();
    const broken = rss([rssItem("broken-1", "Broken", "<p>x</p>")]).replace("</channel>", "");
    await expect(previewImport(db(), admin, feed(broken))).rejects.toThrow(
      /^The feed is not well-formed XML \(line \d+, column \d+\): .*'channel'/,
    );
    await expect(previewImport(db(), admin, feed("just some text"))).rejects.toThrow(/not well-formed XML/);
    await expect(previewImport(db(), admin, feed('<?xml version="1.0"?><html><body/></html>'))).rejects.toThrow(
      "This XML is not an RSS 2.0 or Atom feed (its root element is <html>).",
    );
    await expect(previewImport(db(), admin, feed(""))).rejects.toThrow("The feed is empty.");
    await expect(previewImport(db(), admin, feed(rss([]), "no-such-module"))).rejects.toThrow(
      "Choose the module the lectures go into.",
    );
    expect(await tableCounts()).toEqual(before);
  });

  it("does not expand entities a document type declares (no billion laughs)", () => {
    const bomb = `<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>
${rss([rssItem("bomb-1", "Laughs &d;", "<p>&amp;d; stays as it is written here.</p>")])
  .replace(/^<\?xml[^>]*>/, "")
  .trim()}`;
    const parsed = parseFeed(bytes(bomb));
    expect(parsed.entries[0]).toMatchObject({ ok: true, item: { title: "Laughs &d;" } });
  });

  it("refuses a feed over 5 MB before parsing it", () => {
    expect(() => parseFeed(new Uint8Array(5 * 1024 * 1024 + 1))).toThrow(/one import reads at most 5 MB/);
  });

  it("re-imports idempotently: an unchanged feed creates and updates nothing", async () => {
    const before = await tableCounts();
    const { plan } = await previewImport(db(), admin, feed(devopsFeed));
    expect(plan.counts).toEqual({ create: 0, update: 0, skip: 3 });
    expect(plan.rows.every((row) => row.reason === "Unchanged since the last import.")).toBe(true);
    expect(await tableCounts()).toEqual(before);
  });

  it("updates a changed item in place, keeping its id and adding a version", async () => {
    const guid = "platform-notes-2025-11-04-honest-readiness-probes";
    const original = await lectureBySource(`feed:${guid}`);
    const changed = devopsFeed.replace(
      "Separate liveness from readiness</h2>",
      "Keep liveness and readiness apart</h2>",
    );
    const result = await importNow(feed(changed));
    expect(result.plan.counts).toEqual({ create: 0, update: 1, skip: 2 });
    expect(result.updated).toEqual([original!.id]);
    const updated = await lectureBySource(`feed:${guid}`);
    expect(updated!.id).toBe(original!.id);
    expect(updated!.slug).toBe(original!.slug);
    expect(updated!.body_markdown).toContain("## Keep liveness and readiness apart");
    expect(await versionsOf(original!.id)).toEqual(["Imported from feed", "Imported from feed"]);
    expect(await count("lectures", "source_id like 'feed:platform-notes-%'")).toBe(3);
  });

  it("keeps an admin's later edits while the source is unchanged, and says what an update would replace", async () => {
    const sourceId = "feed:platform-notes-2025-10-21-finding-what-filled-the-disk";
    const lecture = await lectureBySource(sourceId);
    await env.DB.prepare(
      "update lectures set body_markdown = body_markdown || '\n\nEdited by staff.', published = 1 where id = ?",
    )
      .bind(lecture!.id)
      .run();
    const unchanged = await previewImport(db(), admin, feed(devopsFeed));
    const row = unchanged.plan.rows.find((entry) => entry.lectureId === lecture!.id)!;
    expect(row.action).toBe("skip");
    expect(row.reason).toBe("Unchanged since the last import. It was edited here since; those edits are kept.");

    const changed = devopsFeed.replace("Start wide, then narrow down", "Start wide, then narrow it down");
    const result = await importNow(feed(changed));
    const update = result.plan.rows.find((entry) => entry.lectureId === lecture!.id)!;
    expect(update.action).toBe("update");
    expect(update.warning).toMatch(/replaces those edits; they stay in its version history/);
    const after = await lectureBySource(sourceId);
    expect(after!.body_markdown).not.toContain("Edited by staff.");
    // A feed brings text only: publishing stays the admin's decision.
    expect(after!.published).toBe(1);
  });
});

describe("html to markdown", () => {
  it("keeps code languages from every common highlighter's markup", () => {
    const html = [
      '<pre><code class="language-go">package main</code></pre>',
      '<pre class="lang-hcl"><code>variable "region" {}</code></pre>',
      '<div class="highlight highlight-source-shell"><pre>ls -la</pre></div>',
      '<div class="language-toml highlighter-rouge"><div class="highlight"><pre class="highlight"><code>a = 1</code></pre></div></div>',
      "<pre>no language</pre>",
    ].join("");
    const { markdown } = htmlToMarkdown(html, null);
    expect(markdown).toBe(
      [
        "```go\npackage main\n```",
        '```hcl\nvariable "region" {}\n```',
        "```shell\nls -la\n```",
        "```toml\na = 1\n```",
        "```\nno language\n```",
      ].join("\n\n"),
    );
  });

  it("moves an article's headings below the lecture's title", () => {
    expect(htmlToMarkdown("<h1>Intro</h1><h2>Detail</h2>", null).markdown).toBe("## Intro\n\n### Detail");
    expect(htmlToMarkdown("<h2>Already fine</h2>", null).markdown).toBe("## Already fine");
  });
});

describe("zips of markdown", () => {
  const lecture = (
    fields: Record<string, string | number>,
    body = "Systemd starts services in order.\n\n```ini\n[Unit]\nAfter=network.target\n```\n",
  ) =>
    strToU8(
      `---\n${Object.entries(fields)
        .map(([key, value]) => `${key}: ${value}`)
        .join("\n")}\n---\n\n${body}`,
    );

  it("imports lectures from front matter, as content as code, and re-imports idempotently", async () => {
    const files: Zippable = {
      "linux/unit-files.md": lecture({
        title: "Unit files in depth",
        slug: "unit-files-in-depth",
        module: "linux",
        position: 20,
        duration: 35,
      }),
      "linux/journald.md": lecture({
        title: "Reading the journal",
        slug: "reading-the-journal",
        module: "linux",
        position: 21,
        summary: "Query, filter and follow logs with journalctl.",
        published: "true",
        preview: "true",
        id: "journal-101",
      }),
      "networking/bad.md": lecture({ title: "No slug here", module: "networking", position: 3 }),
      "docker/elsewhere.md": lecture({
        title: "Wrong module",
        slug: "wrong-module",
        module: "no-such-module",
        position: 1,
      }),
      "images/diagram.png": new Uint8Array([0x89, 0x50, 0x4e, 0x47]),
      "__MACOSX/linux/._journald.md": new Uint8Array([0, 5, 22, 7]),
    };
    const result = await importNow(zip(files));
    expect(result.plan.counts).toEqual({ create: 2, update: 0, skip: 3 });
    const reasons = Object.fromEntries(result.plan.rows.map((row) => [row.origin, row.reason]));
    expect(reasons["networking/bad.md"]).toMatch(/^Its front matter is invalid: slug /);
    expect(reasons["docker/elsewhere.md"]).toMatch(/There is no module “no-such-module”/);
    expect(reasons["images/diagram.png"]).toBe("Not a markdown (.md) file.");

    const units = await lectureBySource("zip:linux/unit-files-in-depth");
    expect(units).toMatchObject({ title: "Unit files in depth", published: 0 });
    expect(units!.body_html).toContain('class="hljs language-ini"');
    const journal = await env.DB.prepare(
      "select published, free_preview, position, duration_minutes, summary from lectures where source_id = 'zip:journal-101'",
    ).first();
    expect(journal).toMatchObject({
      published: 1,
      free_preview: 1,
      position: 21,
      summary: "Query, filter and follow logs with journalctl.",
    });
    expect(await versionsOf(units!.id)).toEqual(["Imported from zip"]);

    const again = await previewImport(db(), admin, zip(files));
    expect(again.plan.counts).toEqual({ create: 0, update: 0, skip: 5 });

    // Moving a file's lecture and changing its text is an update of the same lecture.
    files["linux/unit-files.md"] = lecture(
      { title: "Unit files in depth", slug: "unit-files-in-depth", module: "linux", position: 22, duration: 35 },
      "Systemd starts services in dependency order.\n",
    );
    const moved = await importNow(zip(files));
    expect(moved.plan.counts).toMatchObject({ create: 0, update: 1 });
    expect(moved.plan.rows.find((row) => row.action === "update")!.reason).toBe(
      "Changed in the source since the last import: summary, text, place.",
    );
    expect(moved.updated).toEqual([units!.id]);
  });

  it("refuses a slug that a lecture of another source already has", async () => {
    const files = {
      "linux/clash.md": lecture({ title: "Clash", slug: "the-shell-and-filesystem", module: "linux", position: 1 }),
    };
    const { plan } = await previewImport(db(), admin, zip(files));
    expect(plan.rows[0]).toMatchObject({ action: "skip" });
    expect(plan.rows[0]!.reason).toMatch(/already has a lecture “the-shell-and-filesystem” that was not imported/);
  });

  it.each([
    ["../escape.md", 'an entry named "../escape.md"'],
    ["linux/../../escape.md", '.." are refused'],
    ["/etc/passwd.md", "absolute paths"],
    ["C:/temp/evil.md", "absolute paths"],
  ])("refuses the whole zip when an entry is named %s", (name, message) => {
    const archive = zipSync({ "linux/fine.md": strToU8("fine"), [name]: strToU8("evil") });
    expect(() => readZip(archive)).toThrow(ImportError);
    expect(() => readZip(archive)).toThrow(message);
  });

  it("refuses too many entries, too much declared data, and files that inflate past their declared size", () => {
    const many: Zippable = {};
    for (let index = 0; index < 501; index++) many[`linux/${index}.md`] = strToU8("x");
    expect(() => readZip(zipSync(many))).toThrow("The zip holds 501 entries; one import takes at most 500.");

    const bomb = zipSync({ "linux/zeros.md": new Uint8Array(21 * 1024 * 1024) }, { level: 9 });
    expect(bomb.byteLength).toBeLessThan(100 * 1024);
    expect(() => readZip(bomb)).toThrow(/add up to 21 MB once unpacked; one import takes at most 20 MB/);

    // A central directory that under-declares: inflating stops at the declared size.
    const liar = zipSync({ "linux/liar.md": new Uint8Array(300 * 1024) }, { level: 9 });
    const directory = findSignature(liar, [0x50, 0x4b, 0x01, 0x02]);
    new DataView(liar.buffer, liar.byteOffset).setUint32(directory + 24, 1024, true);
    expect(() => readZip(liar)).toThrow('The zip\'s file "linux/liar.md" unpacks to more than the 1 KB it declares.');

    expect(() => readZip(strToU8("PK but not really a zip"))).toThrow("This file is not a zip archive.");
    expect(() => readZip(new Uint8Array(10 * 1024 * 1024 + 1))).toThrow(/one import reads at most 10 MB/);
  });

  it("skips a single oversized file with a reason", () => {
    const files = readZip(zipSync({ "linux/big.md": new Uint8Array(501 * 1024), "linux/ok.md": strToU8("ok") }));
    expect(files).toEqual([
      { name: "linux/big.md", skipped: "It is 501 KB; files over 500 KB are not imported." },
      { name: "linux/ok.md", bytes: strToU8("ok") },
    ]);
  });
});

function findSignature(data: Uint8Array, signature: number[]): number {
  for (let at = 0; at < data.length; at++) {
    if (signature.every((byte, offset) => data[at + offset] === byte)) return at;
  }
  throw new Error("signature not found");
}

describe("fetching a feed by address", () => {
  const okFeed =
    (init: ResponseInit = {}) =>
    async () =>
      new Response(rss([]), { headers: { "content-type": "application/rss+xml; charset=utf-8" }, ...init });

  it("fetches through the given fetch function and returns the bytes", async () => {
    const seen: string[] = [];
    const fetched = await fetchFeed("https://blog.example.com/feed.xml", async (input) => {
      seen.push(input.url);
      return okFeed()();
    });
    expect(seen).toEqual(["https://blog.example.com/feed.xml"]);
    expect(new TextDecoder().decode(fetched.bytes)).toContain("<rss");
    expect(fetched.name).toBe("blog.example.com/feed.xml");
  });

  it.each([
    ["javascript:alert(1)", "Feed addresses start with https:// or http://."],
    ["file:///etc/passwd", "Feed addresses start with https:// or http://."],
    ["not an address", "Enter the feed's full address, starting with https://."],
    ["http://localhost:8787/feed", "Feeds are fetched from public addresses only."],
    ["http://10.0.0.8/feed", "Feeds are fetched from public addresses only."],
    ["http://[::1]/feed", "Feeds are fetched from public addresses only."],
  ])("refuses %s without fetching", async (address, message) => {
    let called = false;
    await expect(
      fetchFeed(address, async () => {
        called = true;
        return okFeed()();
      }),
    ).rejects.toThrow(message);
    expect(called).toBe(false);
  });

  it("refuses web pages, error statuses, oversized and failing responses with a clear message", async () => {
    const page = async () => new Response("<!doctype html>", { headers: { "content-type": "text/html" } });
    await expect(fetchFeed("https://blog.example.com/", page)).rejects.toThrow(/is a web page, not a feed/);
    await expect(
      fetchFeed("https://blog.example.com/gone", okFeed({ status: 404, statusText: "Not Found" })),
    ).rejects.toThrow("blog.example.com answered 404 Not Found.");
    const declaredHuge = async () =>
      new Response("<rss/>", {
        headers: { "content-type": "application/xml", "content-length": String(6 * 1024 * 1024) },
      });
    await expect(fetchFeed("https://blog.example.com/big", declaredHuge)).rejects.toThrow("larger than 5 MB");
    const streamingHuge = async () =>
      new Response(
        new ReadableStream({
          pull(controller) {
            controller.enqueue(new Uint8Array(1024 * 1024));
          },
        }),
        { headers: { "content-type": "application/xml" } },
      );
    await expect(fetchFeed("https://blog.example.com/endless", streamingHuge)).rejects.toThrow("larger than 5 MB");
    const offline = async () => {
      throw new TypeError("Network connection lost.");
    };
    await expect(fetchFeed("https://blog.example.com/feed", offline)).rejects.toThrow(
      "blog.example.com could not be reached (Network connection lost.).",
    );
  });
});

describe("the /admin/import page", () => {
  const upload = (fields: Record<string, string | File>, cookie = cookies.admin) => {
    const form = new FormData();
    for (const [key, value] of Object.entries(fields)) form.append(key, value);
    return request("/admin/import", { method: "POST", headers: { ...SAME_ORIGIN, cookie }, body: form });
  };
  const feedFile = (xml: string, name = "feed.xml") => new File([xml], name, { type: "application/rss+xml" });
  const hidden = (html: string, name: string) => new RegExp(`name="${name}" value="([^"]+)"`).exec(html)?.[1];
  const staged = async () => (await env.LECTURE_ASSETS.list({ prefix: "imports/" })).objects.length;

  it("is a 404 for students and visitors, for GET and POST, and stages nothing", async () => {
    for (const cookie of [cookies.student, ""]) {
      const headers: Record<string, string> = cookie ? { cookie } : {};
      expect((await request("/admin/import", { headers })).status).toBe(404);
      const post = await upload(
        { intent: "preview", source: "file", module: "docker", feedFile: feedFile(devopsFeed) },
        cookie,
      );
      expect(post.status).toBe(404);
      const apply = await upload(
        { intent: "apply", importId: crypto.randomUUID(), fingerprint: "0".repeat(64) },
        cookie,
      );
      expect(apply.status).toBe(404);
    }
    expect(await staged()).toBe(0);
  });

  it("previews a feed file without writing, then imports exactly the preview and lists the drafts", async () => {
    const page = await request("/admin/import", { headers: { cookie: cookies.admin } });
    const form = await page.text();
    expect(page.status).toBe(200);
    for (const label of [
      "RSS or Atom address",
      "RSS or Atom file",
      "Zip of markdown files",
      "Feed file (.xml)",
      "Module",
    ]) {
      expect(form).toContain(label);
    }

    const xml = rss(
      [
        rssItem(
          "page-1",
          "Shipping logs with Vector",
          "<p>Vector reads journald and ships to Loki.</p>",
          "Mon, 01 Sep 2025 09:00:00 GMT",
        ),
        rssItem(
          "page-2",
          "Alert on symptoms, not causes",
          "<p>Page on user-visible symptoms only.</p>",
          "Mon, 08 Sep 2025 09:00:00 GMT",
        ),
      ],
      "Monitoring Weekly",
    );
    const before = await tableCounts();
    const preview = await upload({
      intent: "preview",
      source: "file",
      module: "monitoring",
      feedFile: feedFile(xml, "weekly.xml"),
    });
    const html = await preview.text();
    expect(preview.status).toBe(200);
    expect(html).toContain("From the feed “Monitoring Weekly”: <strong>2 to create</strong>");
    expect(html).toContain("Shipping logs with Vector");
    expect(html).toContain("Import 2 lectures");
    expect(await tableCounts()).toEqual(before);
    expect(await staged()).toBe(1);

    const importId = hidden(html, "importId")!;
    const fingerprint = hidden(html, "fingerprint")!;
    // Another admin cannot apply someone else's staged import.
    await createAccount("import.other@example.com", PASSWORD, "admin");
    const other = await login("import.other@example.com", PASSWORD);
    const stolen = await upload({ intent: "apply", importId, fingerprint }, other);
    expect(stolen.status).toBe(410);
    expect(await tableCounts()).toEqual(before);

    const applied = await upload({ intent: "apply", importId, fingerprint });
    expect(applied.status).toBe(302);
    const location = applied.headers.get("location")!;
    expect(location).toMatch(/^\/admin\/import\?created=\d+%2C\d+&updated=&skipped=0$/);
    expect(await staged()).toBe(0);
    expect(await tableCounts()).toEqual({
      lectures: before.lectures + 2,
      versions: before.versions + 2,
      audit: before.audit + 1,
    });

    const result = await (await request(location, { headers: { cookie: cookies.admin } })).text();
    expect(result).toContain("Imported 2 lectures: 2 created, 0 updated.");
    const vector = await lectureBySource("feed:page-1");
    expect(result).toContain(`href="/admin/lectures/${vector!.id}"`);
    expect(result).toContain("Draft");

    // The same preview cannot be applied twice.
    const again = await upload({ intent: "apply", importId, fingerprint });
    expect(again.status).toBe(410);
    expect(await again.text()).toContain("This preview is no longer available");

    // Importing the same file again: nothing to do.
    const second = await (
      await upload({ intent: "preview", source: "file", module: "monitoring", feedFile: feedFile(xml, "weekly.xml") })
    ).text();
    expect(second).toContain("<strong>0 to create</strong>, <strong>0 to update</strong>, <strong>2 to skip</strong>");
    expect(second).toContain("Nothing to import");
  });

  it("answers a changed database with the new plan instead of writing a stale one", async () => {
    const xml = rss([rssItem("race-1", "Racing the preview", "<p>Written between the preview and the import.</p>")]);
    const html = await (
      await upload({ intent: "preview", source: "file", module: "monitoring", feedFile: feedFile(xml) })
    ).text();
    await importNow(feed(xml, "monitoring"));
    const before = await tableCounts();
    const response = await upload({
      intent: "apply",
      importId: hidden(html, "importId")!,
      fingerprint: hidden(html, "fingerprint")!,
    });
    expect(response.status).toBe(409);
    const body = await response.text();
    expect(body).toContain("The lectures changed since your preview, so nothing was imported.");
    expect(body).toContain("<strong>0 to create</strong>");
    expect(await tableCounts()).toEqual(before);
  });

  it("shows broken XML and missing choices as errors on their fields, keeping what was typed", async () => {
    const before = await tableCounts();
    const broken = await upload({
      intent: "preview",
      source: "file",
      module: "docker",
      feedFile: feedFile("<rss><channel>"),
    });
    expect(broken.status).toBe(422);
    const html = await broken.text();
    expect(html).toMatch(/id="import-feed-file-error"[^>]*>The feed is not well-formed XML/);
    expect(html).toContain('<option value="docker" selected="">');

    const noFile = await upload({ intent: "preview", source: "zip" });
    expect(noFile.status).toBe(400);
    expect(await noFile.text()).toContain("Choose the zip file to import.");

    const noModule = await upload({ intent: "preview", source: "url", url: "https://blog.example.com/feed.xml" });
    expect(await noModule.text()).toContain("Choose the module the lectures go into.");

    const script = await upload({ intent: "preview", source: "url", url: "javascript:alert(1)", module: "docker" });
    expect(script.status).toBe(422);
    expect(await script.text()).toContain("Feed addresses start with https:// or http://.");

    const traversal = await upload({
      intent: "preview",
      source: "zip",
      zipFile: new File([zipSync({ "../../etc/cron.d/evil.md": strToU8("x") })], "evil.zip", {
        type: "application/zip",
      }),
    });
    expect(traversal.status).toBe(422);
    expect(await traversal.text()).toMatch(/id="import-zip-file-error"[^>]*>The zip holds an entry named/);
    expect(await tableCounts()).toEqual(before);
  });
});
