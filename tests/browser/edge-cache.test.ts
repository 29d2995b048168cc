import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { DEMO_USERS } from "../../db/seed/user-statements.ts";
import { launchChromium, logIn, openPage } from "./browser.ts";

const baseURL = inject("baseURL");
const student = DEMO_USERS.find((user) => user.email === "student@devops.school")!;
const LECTURE = "/modules/linux/the-shell-and-filesystem";
let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

describe("edge-cached public pages in Chromium", () => {
  it("serves visitors the cached page with working scripts, members their own page, and visitors again after logout", async () => {
    const { context, page, errors } = await openPage(browser, { baseURL });
    await page.goto(LECTURE);
    const cached = await page.goto(LECTURE);
    expect(cached?.headers()["x-edge-cache"]).toBe("HIT");
    // Remix's inline scripts ran under the CSP: the nonce in the cached copy is this response's.
    await expect.poll(() => page.evaluate(() => "__remixContext" in window), { timeout: 10_000 }).toBe(true);
    await expect.poll(() => page.getByRole("link", { name: "Log in" }).first().isVisible()).toBe(true);

    await logIn(page, student.email, student.password);
    const member = await page.goto(LECTURE);
    expect(member?.headers()["x-edge-cache"]).toBeUndefined();
    await expect
      .poll(() => page.getByRole("textbox", { name: /Private to you/ }).isVisible(), { timeout: 10_000 })
      .toBe(true);
    expect(await page.getByRole("link", { name: "Log in" }).count()).toBe(0);

    await page.locator("summary", { hasText: "Account menu for" }).click();
    await page.getByRole("button", { name: "Log out" }).click();
    await expect.poll(() => page.getByRole("link", { name: "Sign up" }).isVisible()).toBe(true);
    const visitorAgain = await page.goto(LECTURE);
    expect(visitorAgain?.headers()["x-edge-cache"]).toBe("HIT");
    await expect.poll(() => page.getByRole("link", { name: "Log in" }).first().isVisible()).toBe(true);
    expect(errors.filter((error) => /Content Security Policy|Refused to/.test(error))).toEqual([]);
    await context.close();
  });
});
