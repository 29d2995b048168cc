import { readFile } from "node:fs/promises";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { DEMO_USERS } from "../../db/seed/user-statements.ts";
import { expectAccessible, launchChromium, logIn, openPage, screenshot } from "./browser.ts";

// An admin brings a blog's feed in as draft lectures: the dry run shows what would happen
// and writes nothing, applying writes drafts that keep their code, and importing the same
// file again changes nothing.

const baseURL = inject("baseURL");
const admin = DEMO_USERS.find((user) => user.role === "admin")!;
const MODULE = { slug: "docker", title: "Docker and Containers" };
/** A lecture of that module that is published, to show a logged-out visitor is not refused everything. */
const PUBLISHED_LECTURE = `/modules/${MODULE.slug}/writing-good-dockerfiles`;
/** The fixture's items, oldest first: the order a course reads them in, and the preview lists them in. */
const ITEMS = [
  "Finding what filled the disk, without guessing",
  "Readiness probes that tell the truth",
  "Smaller Node.js images with multi-stage Docker builds",
];
const DOCKERFILE_POST = ITEMS[2]!;
let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

/**
 * The fixture feed. Lectures are matched by their item's guid, so each attempt gets guids of
 * its own: the suite's retry then imports as if for the first time too.
 */
async function feedFile(attempt: string) {
  const xml = await readFile("tests/fixtures/devops-blog-feed.xml", "utf8");
  const buffer = Buffer.from(
    xml.replace(/<guid isPermaLink="false">([^<]+)<\/guid>/g, `<guid isPermaLink="false">$1-${attempt}</guid>`),
  );
  return { name: "devops-blog-feed.xml", mimeType: "application/rss+xml", buffer };
}

async function previewFeed(page: Page, file: Awaited<ReturnType<typeof feedFile>>) {
  await page.getByLabel("RSS or Atom file").check();
  await page.getByLabel("Module", { exact: true }).selectOption({ label: MODULE.title });
  await page.getByLabel("Feed file (.xml)").setInputFiles(file);
  await page.getByRole("button", { name: "Preview import" }).click();
  await expect.poll(() => page.getByRole("heading", { name: "Preview" }).isVisible()).toBe(true);
}

/** Each body row of the preview: its action badge, and the lecture's title and slug. */
async function previewRows(page: Page) {
  const table = page.getByRole("table", { name: "What the import would do with each item of the source" });
  return table.locator("tbody tr").evaluateAll((rows) =>
    rows.map((row) => ({
      action: row.querySelector("td")!.textContent!.trim(),
      title: row.querySelector("th")!.firstChild!.textContent!.trim(),
      slug: row.querySelector("th span")!.textContent!.split(" · ")[1] ?? null,
      reason: row.querySelectorAll("td")[2]!.textContent!.trim(),
    })),
  );
}

/** The slugs the admin's page of the module lists, drafts included. */
async function moduleLectureSlugs(page: Page, moduleUrl: string) {
  await page.goto(moduleUrl);
  await expect.poll(() => page.getByRole("heading", { name: "Lectures" }).isVisible()).toBe(true);
  return page
    .getByRole("table", { name: "Lectures of this module in order" })
    .locator("tbody th span")
    .evaluateAll((spans) => spans.map((span) => span.textContent!.split(" · ")[0]!));
}

describe("importing a feed in Chromium", () => {
  it("an admin imports a feed file, sees the preview, then the draft lectures", async () => {
    const file = await feedFile(Date.now().toString(36));
    const staff = await openPage(browser, { baseURL, colorScheme: "light" });
    const { page } = staff;
    await logIn(page, admin.email, admin.password);

    // The module's admin page, kept open beside the import to see what is written when.
    const moduleView = await staff.context.newPage();
    await moduleView.goto("/admin/modules");
    await moduleView.getByRole("link", { name: MODULE.title, exact: true }).click();
    await moduleView.waitForURL(/\/admin\/modules\/\d+$/);
    const moduleUrl = new URL(moduleView.url()).pathname;
    const before = await moduleLectureSlugs(moduleView, moduleUrl);
    expect(before.length).toBeGreaterThan(0);

    // The dry run: every item, each to be created as a draft.
    await page.goto("/admin/import");
    await expect.poll(() => page.getByRole("heading", { name: "Import lectures" }).isVisible()).toBe(true);
    await previewFeed(page, file);
    await expect
      .poll(() => page.getByText("From the feed “Platform Notes”: 3 to create, 0 to update, 0 to skip.").isVisible())
      .toBe(true);
    const planned = await previewRows(page);
    expect(planned.map((row) => [row.action, row.title])).toEqual(ITEMS.map((title) => ["Create", title]));
    expect(planned.every((row) => /^New draft lecture, position \d+\.$/.test(row.reason))).toBe(true);
    const slugs = planned.map((row) => row.slug!);
    expect(slugs.every((slug) => /^[a-z0-9-]+$/.test(slug))).toBe(true);
    await screenshot(page, "admin-import-preview-light");
    await expectAccessible(page);
    await page.emulateMedia({ colorScheme: "dark" });
    await screenshot(page, "admin-import-preview-dark");
    await expectAccessible(page);
    await page.emulateMedia({ colorScheme: "light" });

    // Nothing is written by the preview.
    expect(await moduleLectureSlugs(moduleView, moduleUrl)).toEqual(before);

    // Applying writes the previewed plan: three drafts, each linked to its editor.
    await page.getByRole("button", { name: "Import 3 lectures" }).click();
    await page.waitForURL(
      (url) => url.pathname === "/admin/import" && url.searchParams.get("created")?.split(",").length === 3,
    );
    await expect.poll(() => page.getByText("Imported 3 lectures: 3 created, 0 updated.").isVisible()).toBe(true);
    const result = page.getByRole("region", { name: "Imported lectures" });
    for (const [index, title] of ITEMS.entries()) {
      const row = result.getByRole("row").filter({ has: page.getByRole("link", { name: title, exact: true }) });
      await expect.poll(() => row.getByText(slugs[index]!, { exact: true }).isVisible()).toBe(true);
      expect(await row.getByRole("cell").allTextContents()).toEqual([MODULE.title, "Created", "Draft"]);
      expect(await row.getByRole("link").getAttribute("href")).toMatch(/^\/admin\/lectures\/\d+$/);
    }
    await screenshot(page, "admin-import-result");
    await expectAccessible(page);
    expect(await moduleLectureSlugs(moduleView, moduleUrl)).toEqual([...before, ...slugs]);
    await moduleView.close();

    // In the editor the post keeps its Dockerfile as a fenced block with its language, and it is a draft.
    await result.getByRole("link", { name: DOCKERFILE_POST, exact: true }).click();
    await page.waitForURL(/\/admin\/lectures\/\d+$/);
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe(DOCKERFILE_POST);
    expect(await page.getByLabel("Body (markdown)").inputValue()).toContain(
      "```dockerfile\nFROM node:22-bookworm AS build\nWORKDIR /app\n",
    );
    const rendered = page.getByRole("region", { name: "Preview" }).locator("pre code.language-dockerfile");
    await expect.poll(() => rendered.textContent()).toContain("COPY --from=build /app/dist ./dist");
    expect(await page.getByLabel("Published").isChecked()).toBe(false);
    await expect
      .poll(() => page.getByText("Not on the site: it is a draft, seen only by admins.").isVisible())
      .toBe(true);

    // Not on the site: a logged-out visitor is refused it, though not the module's published lectures.
    const visitor = await openPage(browser, { baseURL });
    expect((await visitor.context.request.get(PUBLISHED_LECTURE)).status()).toBe(200);
    for (const slug of slugs) {
      expect((await visitor.context.request.get(`/modules/${MODULE.slug}/${slug}`)).status()).toBe(404);
    }
    await visitor.context.close();

    // The same file again: every item is unchanged, nothing to import.
    await page.goto("/admin/import");
    await previewFeed(page, file);
    await expect
      .poll(() => page.getByText("From the feed “Platform Notes”: 0 to create, 0 to update, 3 to skip.").isVisible())
      .toBe(true);
    const again = await previewRows(page);
    expect(again).toEqual(
      ITEMS.map((title, index) => ({
        action: "Skip",
        title,
        slug: slugs[index],
        reason: "Unchanged since the last import.",
      })),
    );
    expect(await page.getByText("Nothing to import: every item is unchanged or skipped.").isVisible()).toBe(true);
    expect(await page.getByRole("button", { name: /^Import/ }).count()).toBe(0);
    await screenshot(page, "admin-import-unchanged");

    expect(staff.errors).toEqual([]);
    await staff.context.close();
  });
});
