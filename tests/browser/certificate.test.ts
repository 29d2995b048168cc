import type { APIRequestContext, Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { parseCurriculum } from "../../db/seed/curriculum.ts";
import { parseProjects } from "../../db/seed/projects.ts";
import { parseQuizzes, type ParsedQuiz } from "../../db/seed/quizzes.ts";
import { DEMO_USERS } from "../../db/seed/user-statements.ts";
import { readContentFiles } from "../../scripts/content-files.ts";
import { expectAccessible, launchChromium, logIn, openPage, screenshot } from "./browser.ts";
import { GRADUATE } from "./global-setup.ts";

// A student works through the whole programme to a certificate. The last lecture, one quiz
// (failed, then retaken) and one project (submitted, reviewed in the admin, approved) go
// through the pages in Chromium; the rest of the programme goes through the same endpoints
// the pages use, so the journey takes seconds rather than the weeks it takes a student.

const baseURL = inject("baseURL");
const admin = DEMO_USERS.find((user) => user.role === "admin")!;
const PDF = Buffer.from("%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n");
let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

async function ok(response: Promise<{ ok(): boolean; status(): number; url(): string }>) {
  const settled = await response;
  expect(settled.ok(), `${settled.status()} from ${settled.url()}`).toBe(true);
}

type ApiQuestion = { id: number; position: number; kind: "single" | "multiple" | "short" };

/** The right answers, keyed by the ids the API gives the questions. */
async function correctAnswers(api: APIRequestContext, quiz: ParsedQuiz) {
  const { questions } = (await (await api.get(`/api/modules/${quiz.moduleSlug}/quiz`)).json()) as {
    questions: ApiQuestion[];
  };
  return questions.map((question) => {
    const key = quiz.questions.find((parsed) => parsed.position === question.position)!.answerKey;
    return { ...question, answer: question.kind === "multiple" ? key : key[0]! };
  });
}

describe("earning the certificate in Chromium", () => {
  it("completes lectures and quizzes, gets a project approved, and the certificate verifies logged out", async () => {
    const files = await readContentFiles();
    const curriculum = parseCurriculum(files);
    const quizzes = parseQuizzes(files);
    const projects = parseProjects(files);
    const lastModule = curriculum.at(-1)!;
    const lastLecture = lastModule.lectures.at(-1)!;
    const uiQuiz = quizzes.find((quiz) => quiz.moduleSlug === lastModule.slug)!;
    const uiProject = projects[0]!;

    const student = await openPage(browser, { baseURL });
    const { page } = student;
    const api = student.context.request;
    await logIn(page, GRADUATE.email, GRADUATE.password);

    // Everything but the last lecture, the last module's quiz and the first project.
    for (const module of curriculum) {
      for (const lecture of module.lectures) {
        if (lecture === lastLecture) continue;
        const { lecture: found } = (await (
          await api.get(`/api/modules/${module.slug}/lectures/${lecture.slug}`)
        ).json()) as { lecture: { id: number } };
        await ok(api.post(`/api/progress/${found.id}/complete`));
      }
    }
    for (const quiz of quizzes.filter((quiz) => quiz !== uiQuiz)) {
      const answers = Object.fromEntries(
        (await correctAnswers(api, quiz)).map((question) => [question.id, question.answer]),
      );
      const response = await api.post(`/api/modules/${quiz.moduleSlug}/quiz/attempts`, { data: { answers } });
      expect(((await response.json()) as { attempt: { passed: boolean } }).attempt.passed).toBe(true);
    }
    for (const project of projects.filter((project) => project !== uiProject)) {
      await ok(
        api.post(`/modules/${project.moduleSlug}/project`, {
          multipart: { repoUrl: `https://github.com/grace/${project.moduleSlug}-lab`, notes: "Done as briefed." },
        }),
      );
    }

    // The quiz in the page: a first attempt that fails, with feedback, then a retake that passes.
    const questions = await correctAnswers(api, uiQuiz);
    await page.goto(`/modules/${uiQuiz.moduleSlug}/quiz`);
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe(uiQuiz.title);
    await expectAccessible(page);
    for (const question of questions) {
      if (question.kind === "short") await page.locator(`input[name="q-${question.id}"]`).fill("no idea");
      else {
        const wrong = uiQuiz.questions
          .find((parsed) => parsed.position === question.position)!
          .options.find((option) => !question.answer.includes(option.id))!;
        await page.locator(`input[name$="-${question.id}"][value="${wrong.id}"]`).check();
      }
    }
    await page.getByRole("button", { name: "Submit answers" }).click();
    await page.waitForURL("**/quiz/attempts/*");
    await expect.poll(() => page.getByText("Not passed yet.").isVisible()).toBe(true);
    await screenshot(page, "quiz-failed");
    await expectAccessible(page);

    await page.getByRole("link", { name: /Retake the quiz/ }).click();
    await page.waitForURL(`**/modules/${uiQuiz.moduleSlug}/quiz`);
    for (const question of questions) {
      if (question.kind === "short") await page.locator(`input[name="q-${question.id}"]`).fill(String(question.answer));
      else
        for (const option of [question.answer].flat()) {
          await page.locator(`input[name$="-${question.id}"][value="${option}"]`).check();
        }
    }
    await page.getByRole("button", { name: "Submit answers" }).click();
    await page.waitForURL("**/quiz/attempts/*");
    await expect.poll(() => page.getByText("You passed.").isVisible()).toBe(true);
    await screenshot(page, "quiz-passed");

    // The project in the page, with a file.
    await page.goto(`/modules/${uiProject.moduleSlug}/project`);
    await expectAccessible(page);
    await page.getByLabel("Repository URL").fill("https://github.com/grace/linux-lab");
    await page.getByLabel("Notes").fill("Users, groups and a locked-down shared directory.");
    await page
      .getByLabel("Attach a file (optional)")
      .setInputFiles({ name: "permissions.pdf", mimeType: "application/pdf", buffer: PDF });
    await page.getByRole("button", { name: "Submit for review" }).click();
    await expect.poll(() => page.getByText("Submitted", { exact: true }).first().isVisible()).toBe(true);
    await screenshot(page, "project-submitted");

    // The admin reviews: the page one by hand, the others from the queue's links.
    const reviewer = await openPage(browser, { baseURL });
    await logIn(reviewer.page, admin.email, admin.password);
    await reviewer.page.goto("/admin/projects");
    await expectAccessible(reviewer.page);
    const links = await reviewer.page
      .getByRole("link", { name: GRADUATE.name })
      .evaluateAll((anchors) => anchors.map((anchor) => anchor.getAttribute("href")!));
    expect(links).toHaveLength(projects.length);
    const uiTitle = uiProject.title;
    await reviewer.page
      .getByRole("row")
      .filter({ hasText: uiTitle })
      .getByRole("link", { name: GRADUATE.name })
      .click();
    await reviewer.page.waitForURL("**/admin/projects/*");
    const uiSubmission = new URL(reviewer.page.url()).pathname;
    await reviewer.page.getByLabel(/Feedback/).fill("Clean permissions model. Approved.");
    await reviewer.page.getByRole("button", { name: "Approve" }).click();
    await expect.poll(() => reviewer.page.getByText("Approved", { exact: true }).first().isVisible()).toBe(true);
    await screenshot(reviewer.page, "project-approved");
    for (const link of links.filter((link) => link !== uiSubmission)) {
      await ok(reviewer.context.request.post(link, { form: { decision: "approve", feedback: "" } }));
    }
    await reviewer.context.close();

    // Not yet: one lecture is left. Completing it in the page issues the certificate.
    await page.goto("/dashboard");
    await expect.poll(() => page.getByRole("heading", { name: "Your certificate" }).isVisible()).toBe(true);
    await page.goto(`/modules/${lastModule.slug}/${lastLecture.slug}`);
    // The check mark shows at once; the dashboard is only read after the server has stored it.
    const stored = page.waitForResponse(
      (response) => response.request().method() === "POST" && response.url().includes(lastLecture.slug),
    );
    await page.getByRole("button", { name: "Mark as complete" }).click();
    await ok(stored);
    await expect.poll(() => page.getByText("You completed this lecture").isVisible()).toBe(true);
    await page.goto("/dashboard");
    await expect.poll(() => page.getByRole("heading", { name: "You earned your certificate" }).isVisible()).toBe(true);
    await screenshot(page, "dashboard-certificate");
    await expectAccessible(page);
    const certificatePath = await page.getByRole("link", { name: /View your certificate/ }).getAttribute("href");
    expect(certificatePath).toMatch(/^\/certificates\/[0-9a-f]{32}$/);
    expect(student.errors).toEqual([]);
    await student.context.close();

    // Anyone can verify it, logged out, in light or dark.
    for (const colorScheme of ["light", "dark"] as const) {
      const visitor = await openPage(browser, { baseURL, colorScheme });
      await visitor.page.goto(certificatePath!);
      await expect.poll(() => visitor.page.getByText(GRADUATE.name).first().isVisible()).toBe(true);
      await expect.poll(() => visitor.page.getByText("Verified.").isVisible()).toBe(true);
      expect(await visitor.page.locator('meta[property="og:title"]').getAttribute("content")).toBe(
        `${GRADUATE.name} completed the DevOps Engineering Programme`,
      );
      await screenshot(visitor.page, `certificate-${colorScheme}`);
      await expectAccessible(visitor.page);
      // Printed, it is the certificate alone: no header, no footer, no buttons.
      await visitor.page.emulateMedia({ media: "print" });
      expect(await visitor.page.locator("header").first().isVisible()).toBe(false);
      expect(await visitor.page.getByRole("article").isVisible()).toBe(true);
      expect(visitor.errors).toEqual([]);
      await visitor.context.close();
    }
  });
});
