import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { DEMO_USERS } from "../../db/seed/user-statements.ts";
import { expectAccessible, launchChromium, openPage, screenshot } from "./browser.ts";

const baseURL = inject("baseURL");
const student = DEMO_USERS.find((user) => user.role === "student")!;
const LECTURE = "/modules/linux/the-shell-and-filesystem";
let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

const videoTime = (page: Page) => page.evaluate(() => document.querySelector("video")!.currentTime);

describe("learning in Chromium", () => {
  it("resumes the video where the student left it, and completes the lecture at its end", async () => {
    const { context, page, errors } = await openPage(browser, { baseURL });
    await page.goto("/login");
    await page.getByLabel("Email").fill(student.email);
    await page.getByLabel("Password").fill(student.password);
    await page.getByRole("button", { name: "Log in" }).click();
    await page.waitForURL("**/dashboard");

    await page.goto(LECTURE);
    await expect.poll(() => page.locator("video").isVisible()).toBe(true);
    await expectAccessible(page);
    await page.evaluate(async () => {
      const video = document.querySelector("video")!;
      video.muted = true;
      await video.play();
    });
    await expect.poll(() => videoTime(page), { timeout: 20_000 }).toBeGreaterThan(6);
    await page.evaluate(() => document.querySelector("video")!.pause());
    const leftAt = Math.floor(await videoTime(page));

    // Leave mid-way (a client-side navigation), then come back with a fresh page load.
    await page.getByRole("link", { name: /^Next/ }).click();
    await page.waitForURL("**/users-groups-and-permissions");
    await page.goto(LECTURE);
    await expect.poll(() => page.evaluate(() => document.querySelector("video")!.readyState)).toBeGreaterThan(0);
    await expect.poll(() => videoTime(page)).toBe(leftAt);
    await screenshot(page, "lecture-video");

    // Play to the end: the lecture is marked complete without pressing anything.
    await page.evaluate(async () => {
      const video = document.querySelector("video")!;
      video.muted = true;
      video.currentTime = video.duration - 1.5;
      await video.play();
    });
    await expect.poll(() => page.getByText("You completed this lecture").isVisible(), { timeout: 15_000 }).toBe(true);
    // Notes save themselves while typing, survive a reload, and collect on /notes.
    const notes = page.getByRole("textbox", { name: /Private to you/ });
    await notes.fill("Remember: `ls -la` shows hidden files.");
    await expect
      .poll(
        () =>
          page
            .getByRole("status")
            .filter({ hasText: /^Saved$/ })
            .isVisible(),
        { timeout: 10_000 },
      )
      .toBe(true);
    await page.reload();
    expect(await notes.inputValue()).toBe("Remember: `ls -la` shows hidden files.");
    await page.goto("/notes");
    await expect.poll(() => page.getByText("Remember: `ls -la` shows hidden files.").isVisible()).toBe(true);
    await expectAccessible(page);

    await page.goto("/dashboard");
    await expect
      .poll(() =>
        page
          .getByText(/1 of \d+ lectures completed/)
          .first()
          .isVisible(),
      )
      .toBe(true);
    await screenshot(page, "dashboard");
    await expectAccessible(page);
    expect(errors).toEqual([]);
    await context.close();
  });
});
