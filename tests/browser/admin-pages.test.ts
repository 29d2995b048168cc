import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { parseCurriculum } from "../../db/seed/curriculum.ts";
import { parseQuizzes } from "../../db/seed/quizzes.ts";
import { DEMO_USERS } from "../../db/seed/user-statements.ts";
import { readContentFiles } from "../../scripts/content-files.ts";
import { expectAccessible, launchChromium, logIn, openPage, screenshot, unexpectedErrors } from "./browser.ts";

// A sweep of every admin page in both colour schemes: each answers 200 with a heading, passes
// axe (colour contrast included, so the dark theme is checked too), logs no errors and fits a
// phone's width. Ids come from the pages' own links, the way staff reach them. The student's
// test runs first and studies a little, so the overview's screenshots show every chart drawn.

const baseURL = inject("baseURL");
const admin = DEMO_USERS.find((user) => user.role === "admin")!;
const student = DEMO_USERS.find((user) => user.email === "student@devops.school")!;
const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };
const SWEEP = { timeout: 120_000 };
let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

/** Opens and completes the first lecture and passes the first quiz, through the student's own endpoints. */
async function studySomething(page: Page) {
  const files = await readContentFiles();
  const module = parseCurriculum(files)[0]!;
  const lecture = module.lectures[0]!;
  const quiz = parseQuizzes(files).find((parsed) => parsed.moduleSlug === module.slug)!;
  await page.goto(`/modules/${module.slug}/${lecture.slug}`);
  const api = page.context().request;
  const { lecture: found } = (await (await api.get(`/api/modules/${module.slug}/lectures/${lecture.slug}`)).json()) as {
    lecture: { id: number };
  };
  expect((await api.post(`/api/progress/${found.id}/complete`)).ok()).toBe(true);
  const { questions } = (await (await api.get(`/api/modules/${module.slug}/quiz`)).json()) as {
    questions: { id: number; position: number; kind: string }[];
  };
  const answers = Object.fromEntries(
    questions.map((question) => {
      const key = quiz.questions.find((parsed) => parsed.position === question.position)!.answerKey;
      return [question.id, question.kind === "multiple" ? key : key[0]];
    }),
  );
  expect((await api.post(`/api/modules/${module.slug}/quiz/attempts`, { data: { answers } })).ok()).toBe(true);
}

/** The first link on the page whose path matches `pattern`, so ids are never hard-coded. */
async function firstLink(page: Page, pattern: RegExp, label: string): Promise<string> {
  const hrefs = await page
    .locator("main a[href]")
    .evaluateAll((anchors) => anchors.map((anchor) => new URL((anchor as HTMLAnchorElement).href).pathname));
  const found = hrefs.find((href) => pattern.test(href));
  expect(found, `${label}: a link matching ${pattern}`).toBeTruthy();
  return found!;
}

/** Opens one page and checks everything the sweep promises about it. */
async function sweep(page: Page, errors: string[], path: string, label: string) {
  errors.length = 0;
  await page.setViewportSize(DESKTOP);
  const response = await page.goto(path, { waitUntil: "networkidle" });
  expect(response?.status(), `${label}: status of ${path}`).toBe(200);
  expect(await page.getByRole("heading", { level: 1 }).count(), `${label}: one h1 on ${path}`).toBe(1);
  await expectAccessible(page);
  await page.setViewportSize(PHONE);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow, `${label}: horizontal overflow (px) at ${PHONE.width}px on ${path}`).toBeLessThanOrEqual(0);
  expect(errors, `${label}: console errors on ${path}`).toEqual([]);
}

describe("the admin pages in Chromium", () => {
  it("a student gets the 404 page for /admin and no Admin link in the header", async () => {
    const { context, page, errors } = await openPage(browser, { baseURL });
    await logIn(page, student.email, student.password);
    expect(await page.locator('header a[href^="/admin"]').count()).toBe(0);

    const response = await page.goto("/admin", { waitUntil: "networkidle" });
    expect(response?.status()).toBe(404);
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("This page doesn't exist");
    expect(await page.getByRole("navigation", { name: "Admin" }).count()).toBe(0);
    expect(unexpectedErrors(errors, [404])).toEqual([]);

    // Some study, so that every chart on the overview has something to draw.
    await studySomething(page);
    await context.close();
  });

  // The two schemes run side by side: about twenty pages each, each checked by axe.
  for (const colorScheme of ["light", "dark"] as const) {
    it.concurrent(`every admin page renders, is accessible and fits a phone (${colorScheme})`, SWEEP, async () => {
      const { context, page, errors } = await openPage(browser, { baseURL, colorScheme });
      await logIn(page, admin.email, admin.password);
      const visit = (path: string, label: string) => sweep(page, errors, path, `${colorScheme} ${label}`);

      await visit("/admin", "overview");
      await page.setViewportSize(DESKTOP);
      await screenshot(page, `admin-overview-${colorScheme}`);

      await visit("/admin/modules", "modules");
      const modulePath = await firstLink(page, /^\/admin\/modules\/\d+$/, "modules");
      await visit("/admin/modules/new", "new module");
      await visit(modulePath, "module");
      const lecturePath = await firstLink(page, /^\/admin\/lectures\/\d+$/, "module");
      await visit(`${modulePath}/lectures/new`, "new lecture");
      await visit(lecturePath, "lecture");
      const historyPath = await firstLink(page, /^\/admin\/lectures\/\d+\/history$/, "lecture");
      const filesPath = await firstLink(page, /^\/admin\/lectures\/\d+\/files$/, "lecture");
      await visit(historyPath, "lecture history");
      await visit(filesPath, "lecture files");
      await visit("/admin/import", "import");

      await visit("/admin/cohorts", "cohorts");
      const cohortPath = await firstLink(page, /^\/admin\/cohorts\/batch-4$/, "cohorts");
      await visit("/admin/cohorts/new", "new cohort");
      await visit(cohortPath, "cohort");
      await visit(await firstLink(page, /^\/admin\/cohorts\/batch-4\/edit$/, "cohort"), "cohort edit");

      await visit("/admin/students", "students");
      const studentPath = await firstLink(page, /^\/admin\/students\/[^/]+$/, "students");
      await visit(studentPath, "student");

      await visit("/admin/projects", "projects");
      await visit("/admin/moderation", "moderation");
      await visit("/admin/announcements", "announcements");
      await visit("/admin/audit", "audit log");
      await visit("/admin/payments", "payments");
      await visit("/admin/coupons", "coupons");
      await context.close();
    });
  }
});
