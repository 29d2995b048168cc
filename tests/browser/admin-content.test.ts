import { readFile } from "node:fs/promises";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { DEMO_USERS } from "../../db/seed/user-statements.ts";
import { expectAccessible, launchChromium, logIn, openPage, screenshot, unexpectedErrors } from "./browser.ts";

// The staff's path from nothing to a lecture students watch: a new module and lecture with
// code, written in the editor with its live preview, published, and a video uploaded in parts
// through a dropped connection. Then a student opens it.

const baseURL = inject("baseURL");
const admin = DEMO_USERS.find((user) => user.role === "admin")!;
const student = DEMO_USERS.find((user) => user.email === "student@devops.school")!;
const LECTURE = { title: "Alerting on error budgets", slug: "alerting-on-error-budgets" };
const BODY = [
  "Page a human only when the error budget burns fast.",
  "",
  "```yaml",
  "groups:",
  "  - name: slo",
  "    rules:",
  "      - alert: ErrorBudgetBurn",
  "        expr: job:slo_errors:ratio_rate1h > 14.4 * 0.001",
  "```",
].join("\n");
let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

/**
 * The seeded lecture video followed by an EBML Void element: still a playable WebM, and at
 * about 20 MB large enough to go up in three parts.
 */
async function largeWebm(): Promise<Buffer> {
  const video = await readFile("db/seed/media/the-shell-and-filesystem.webm");
  const padding = 20 * 1024 * 1024 - video.length;
  const header = Buffer.alloc(9);
  header[0] = 0xec; // Void
  header[1] = 0x01; // an 8-byte size follows: 0x01 then 7 bytes of length
  header.writeUIntBE(padding - header.length, 3, 6);
  return Buffer.concat([video, header, Buffer.alloc(padding - header.length)]);
}

/** Every value the upload progress bar shows, recorded as the page changes it. */
function recordProgress(page: Page) {
  return page.evaluate(() => {
    const seen: Array<{ value: number; max: number }> = [];
    (window as unknown as { progressSeen: typeof seen }).progressSeen = seen;
    const record = () => {
      const bar = document.querySelector<HTMLProgressElement>('progress[aria-label="Upload progress"]');
      if (bar && seen.at(-1)?.value !== bar.value) seen.push({ value: bar.value, max: bar.max });
    };
    new MutationObserver(record).observe(document.body, {
      subtree: true,
      childList: true,
      attributes: true,
      attributeFilter: ["value", "max"],
    });
  });
}

describe("publishing a lecture with a video in Chromium", () => {
  it("an admin writes and publishes a lecture with code, uploads its video, and a student watches it", async () => {
    // A new slug per attempt, so that the suite's retry starts from a clean slate too.
    const MODULE = { title: "Site Reliability Lab", slug: `site-reliability-lab-${Date.now().toString(36)}` };
    const staff = await openPage(browser, { baseURL });
    const { page } = staff;
    await logIn(page, admin.email, admin.password);

    // A module, left as a draft while its lecture is written.
    await page.goto("/admin/modules");
    await page.getByRole("link", { name: "New module" }).click();
    await page.waitForURL("**/admin/modules/new");
    await page.getByLabel("Title").fill(MODULE.title);
    await page.getByLabel("Slug").fill(MODULE.slug);
    await page.getByLabel("Summary").fill("Service levels, error budgets and alerts that mean something.");
    await page.getByRole("button", { name: "Create module" }).click();
    await page.waitForURL(/\/admin\/modules\/\d+\?created=1$/);
    const moduleUrl = new URL(page.url()).pathname;

    // A lecture, written in the editor: the preview renders the code block as students will see it.
    await page.getByRole("link", { name: "New lecture" }).click();
    await page.waitForURL("**/lectures/new");
    await page.getByLabel("Title").fill(LECTURE.title);
    await page.getByLabel("Slug").fill(LECTURE.slug);
    await page.getByLabel("Summary").fill("Multi-window burn-rate alerts in Prometheus.");
    await page.getByLabel("Duration (minutes)").fill("18");
    await page.getByLabel("Body (markdown)").fill(BODY);
    const preview = page.getByRole("region", { name: "Preview" });
    await expect.poll(() => preview.locator("pre code.language-yaml").textContent()).toContain("ErrorBudgetBurn");
    await expectAccessible(page);
    await screenshot(page, "admin-lecture-editor");
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await page.waitForURL(/\/admin\/lectures\/\d+\?created=1$/);
    const lectureUrl = new URL(page.url()).pathname;

    // Still drafts: a student cannot reach either.
    const learner = await openPage(browser, { baseURL });
    await logIn(learner.page, student.email, student.password);
    const publicUrl = `/modules/${MODULE.slug}/${LECTURE.slug}`;
    expect((await learner.context.request.get(publicUrl)).status()).toBe(404);

    // Publish the lecture, then the module.
    await page.getByLabel("Published").check();
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await page.waitForURL("**?saved=1");
    await expect.poll(() => page.getByText("Saved. The previous text is kept in the history.").isVisible()).toBe(true);
    await page.goto(moduleUrl);
    await page.getByLabel("Published").check();
    await page.getByRole("button", { name: "Save module" }).click();
    await expect.poll(() => page.getByLabel("Published").isChecked()).toBe(true);
    await expect.poll(async () => (await learner.context.request.get(publicUrl)).status()).toBe(200);

    // The video goes up in three parts. The connection drops during the second; Retry sends
    // only what the server does not have, and the bar moves through the whole of it.
    await page.goto(`${lectureUrl}/files`);
    await expect.poll(() => page.getByRole("button", { name: "Upload" }).isEnabled()).toBe(true);
    const partsSent: number[] = [];
    page.on("request", (request) => {
      const part = /\/api\/admin\/uploads\/[^/]+\/parts\/(\d+)$/.exec(request.url());
      if (part && request.method() === "PUT") partsSent.push(Number(part[1]));
    });
    let dropped = false;
    await page.route("**/api/admin/uploads/*/parts/2", (route) => {
      if (dropped) return route.continue();
      dropped = true;
      return route.abort("connectionreset");
    });
    await recordProgress(page);
    await page
      .getByLabel("File", { exact: true })
      .setInputFiles({ name: "burn-rate-alerts.webm", mimeType: "video/webm", buffer: await largeWebm() });
    await page.getByRole("button", { name: "Upload" }).click();
    const upload = { timeout: 30_000 };
    await expect
      .poll(() => page.getByRole("alert").filter({ hasText: "The connection dropped." }).isVisible(), upload)
      .toBe(true);
    await screenshot(page, "admin-upload-dropped");
    await page.getByRole("button", { name: "Retry" }).click();
    await expect
      .poll(() => page.getByRole("status").getByText("Uploaded burn-rate-alerts.webm.").isVisible(), upload)
      .toBe(true);
    expect(partsSent).toEqual([1, 2, 2, 3]);
    const progress = await page.evaluate(
      () => (window as unknown as { progressSeen: Array<{ value: number; max: number }> }).progressSeen,
    );
    const total = 20 * 1024 * 1024;
    const values = progress.map((step) => step.value);
    expect(progress.every((step) => step.max === total)).toBe(true);
    expect(values.filter((value) => value > 0 && value < total).length).toBeGreaterThanOrEqual(2);
    expect(values.at(-1)).toBe(total);
    expect(values).toEqual([...values].sort((a, b) => a - b));

    const row = page.getByRole("row").filter({ hasText: "burn-rate-alerts.webm" });
    await expect.poll(() => row.getByText("20.0 MB").isVisible()).toBe(true);
    await row.getByRole("button", { name: "Use as lecture video" }).click();
    await expect
      .poll(() => page.getByText("“burn-rate-alerts.webm” is now the lecture's video.").isVisible())
      .toBe(true);
    await expectAccessible(page);
    await screenshot(page, "admin-lecture-files");
    expect(staff.errors.filter((error) => !error.includes("ERR_CONNECTION_RESET"))).toEqual([]);
    await staff.context.close();

    // The student finds it in the curriculum and watches it, code and all.
    const { page: reader } = learner;
    await reader.goto(`/modules/${MODULE.slug}`);
    await reader.getByRole("link", { name: `1 ${LECTURE.title}` }).click();
    await reader.waitForURL(`**${publicUrl}`);
    await expect.poll(() => reader.getByRole("heading", { level: 1 }).textContent()).toBe(LECTURE.title);
    expect(await reader.locator("pre code.language-yaml").textContent()).toContain("job:slo_errors:ratio_rate1h");
    await expect.poll(() => reader.getByLabel("Lecture video").isVisible()).toBe(true);
    await reader.evaluate(async () => {
      const video = document.querySelector("video")!;
      video.muted = true;
      await video.play();
    });
    // Playback has to advance; expect.poll alone would give it only one second to do so.
    await expect
      .poll(() => reader.evaluate(() => document.querySelector("video")!.currentTime), { timeout: 15_000 })
      .toBeGreaterThan(0.5);
    await screenshot(reader, "student-lecture-uploaded-video");
    await expectAccessible(reader);
    // The lecture has no captions file: the track's 404 is expected, nothing else is.
    expect(unexpectedErrors(learner.errors, [404])).toEqual([]);
    await learner.context.close();
  });
});
