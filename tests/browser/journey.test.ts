import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { expectAccessible, launchChromium, openPage, screenshot } from "./browser.ts";

const baseURL = inject("baseURL");
let browser: Browser;

const heading = (page: Page) => page.getByRole("heading", { level: 1 }).textContent();
const api = async <T>(path: string) => (await (await fetch(new URL(path, baseURL))).json()) as T;

beforeAll(async () => {
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

describe("a newcomer in Chromium", () => {
  it("browses the curriculum, reads lectures, copies code, moves on and searches", async () => {
    const { context, page, errors } = await openPage(browser, { baseURL });
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: baseURL });

    await page.goto("/");
    await expect.poll(() => page.title()).toMatch(/DevOps School/);
    await expect.poll(() => heading(page)).toMatch(/engineer/);
    await screenshot(page, "landing");
    await expectAccessible(page);

    await page.getByRole("link", { name: "Explore the curriculum" }).click();
    await page.waitForURL("**/modules");
    await expect.poll(() => heading(page)).toBe("Curriculum");
    await expectAccessible(page);

    await page.getByRole("link", { name: "Docker and Containers" }).click();
    await page.waitForURL("**/modules/docker");
    await expect.poll(() => heading(page)).toBe("Docker and Containers");
    await screenshot(page, "module");
    await expectAccessible(page);

    // The module's first lecture is a free preview: a newcomer can read all of it.
    const docker = await api<{ lectures: Array<{ slug: string; title: string }> }>("/api/modules/docker");
    const first = docker.lectures[0]!;
    await page.getByRole("region", { name: "Lectures" }).getByRole("link").first().click();
    await page.waitForURL(`**/modules/docker/${first.slug}`);
    await expect.poll(() => heading(page)).toBe(first.title);
    await screenshot(page, "lecture");
    await expectAccessible(page);

    // Copy the first code block: the clipboard holds exactly its text.
    const firstBlock = page.locator(".prose pre").first();
    const code = (await firstBlock.innerText()).replace(/\n$/, "");
    const copy = page.getByRole("button", { name: "Copy code to clipboard" }).first();
    await copy.click();
    await expect.poll(() => copy.textContent()).toBe("Copied");
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(code);

    // The table of contents jumps to a section.
    const tocLink = page.getByRole("navigation", { name: "On this page" }).getByRole("link").first();
    const target = (await tocLink.getAttribute("href"))!;
    await tocLink.click();
    await expect.poll(() => page.evaluate(() => location.hash)).toBe(target);

    // Next lecture.
    // The next lecture is for enrolled students: it says what it covers and how to get in.
    const lecture = await api<{ next: { lectureSlug: string; lectureTitle: string } }>(
      `/api/modules/docker/lectures/${first.slug}`,
    );
    await page.getByRole("link", { name: /^Next/ }).click();
    await page.waitForURL(`**/${lecture.next.lectureSlug}`);
    await expect.poll(() => heading(page)).toBe(lecture.next.lectureTitle);
    await expect
      .poll(() => page.getByRole("heading", { name: "This lecture is for enrolled students" }).isVisible())
      .toBe(true);
    await screenshot(page, "lecture-locked");
    await expectAccessible(page);

    // Search from the header, then open a result.
    await page.getByRole("searchbox", { name: "Search lectures" }).fill("linux namespaces");
    await page.keyboard.press("Enter");
    await page.waitForURL("**/search?q=linux+namespaces");
    // The URL changes before React commits the new page (navigations run in a transition),
    // so wait for the results list itself rather than for any list item on the page.
    const results = page.getByRole("list", { name: "Search results" }).getByRole("listitem");
    await expect.poll(() => results.count()).toBeGreaterThan(0);
    expect(await results.locator("mark").count()).toBeGreaterThan(0);
    await screenshot(page, "search");
    await expectAccessible(page);
    const firstResult = results.first().getByRole("link");
    const resultTitle = (await firstResult.textContent())!;
    await firstResult.click();
    await expect.poll(() => heading(page)).toBe(resultTitle);

    expect(errors).toEqual([]);
    await context.close();
  });

  it("switches to dark mode and keeps it after a reload, with no flash of the light theme", async () => {
    const { context, page, errors } = await openPage(browser, { baseURL, colorScheme: "light" });
    await page.goto("/modules/kubernetes");
    const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const lightBackground = await background();

    await page.getByRole("button", { name: "Dark theme" }).click();
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe("dark");
    await expect.poll(background).not.toBe(lightBackground);
    // The server has stored the choice before we reload.
    await expect
      .poll(async () => (await context.cookies()).find((cookie) => cookie.name === "theme")?.value)
      .toBe("dark");

    // The server renders the stored theme: dark from the very first byte.
    const response = await page.reload();
    expect(await response!.text()).toContain('data-theme="dark"');
    expect(await background()).not.toBe(lightBackground);
    expect(await page.getByRole("button", { name: "Dark theme" }).getAttribute("aria-pressed")).toBe("true");
    await screenshot(page, "module-dark");
    await expectAccessible(page);

    await page.goto("/modules/kubernetes/kubernetes-architecture");
    await screenshot(page, "lecture-dark");
    await expectAccessible(page);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("follows the system theme until one is chosen", async () => {
    const { context, page } = await openPage(browser, { baseURL, colorScheme: "dark" });
    await page.goto("/");
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe("system");
    expect(await page.evaluate(() => getComputedStyle(document.documentElement).colorScheme)).toBe("light dark");
    expect(await page.evaluate(() => matchMedia("(prefers-color-scheme: dark)").matches)).toBe(true);
    await context.close();
  });

  it("works at 375 px: the menu opens, navigates and closes", async () => {
    const { context, page, errors } = await openPage(browser, {
      baseURL,
      viewport: { width: 375, height: 780 },
      isMobile: true,
      hasTouch: true,
    });
    await page.goto("/");
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await expect.poll(() => page.getByRole("navigation", { name: "Main" }).isVisible()).toBe(false);

    await page.locator("summary", { hasText: "Menu" }).click();
    const mobileNav = page.getByRole("navigation", { name: "Mobile" });
    await expect.poll(() => mobileNav.isVisible()).toBe(true);
    await screenshot(page, "landing-mobile-menu");
    await mobileNav.getByRole("link", { name: "Curriculum" }).click();
    await page.waitForURL("**/modules");
    await expect.poll(() => mobileNav.isVisible()).toBe(false);

    await page.goto("/modules/linux/the-shell-and-filesystem");
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await screenshot(page, "lecture-mobile");
    await expectAccessible(page);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("shows a 404 page inside the layout", async () => {
    const { context, page } = await openPage(browser, { baseURL });
    const response = await page.goto("/modules/linux/no-such-lecture");
    expect(response!.status()).toBe(404);
    expect(await heading(page)).toBe("This page doesn't exist");
    await expect.poll(() => page.getByRole("navigation", { name: "Main" }).isVisible()).toBe(true);
    await expectAccessible(page);
    await context.close();
  });
});

describe("without JavaScript", () => {
  it("reads a whole lecture, follows the table of contents and switches theme", async () => {
    const { context, page } = await openPage(browser, { baseURL, javaScriptEnabled: false });
    await page.goto("/modules/terraform/why-infrastructure-as-code");
    expect(await heading(page)).toBeTruthy();
    expect(await page.locator(".prose pre code.language-hcl").count()).toBeGreaterThan(0);
    expect(await page.locator(".prose h2").count()).toBeGreaterThan(3);

    await page.getByRole("button", { name: "Dark theme" }).click();
    await page.waitForLoadState();
    expect(page.url()).toMatch(/\/modules\/terraform\/why-infrastructure-as-code$/);
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe("dark");

    await page.goto("/search?q=namespaces");
    expect(await page.locator("mark").count()).toBeGreaterThan(0);
    await context.close();
  });
});
