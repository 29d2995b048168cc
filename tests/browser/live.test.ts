import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { DEMO_USERS } from "../../db/seed/user-statements.ts";
import { expectAccessible, launchChromium, logIn, openPage, screenshot } from "./browser.ts";
import { CLASSMATES, executeSql } from "./global-setup.ts";

// The cohort's live layer in real browsers: announcements pushed over WebSocket to the
// cohort's members only, and the countdown as a cohort starts.

const baseURL = inject("baseURL");
const stateDir = inject("stateDir");
const admin = DEMO_USERS.find((user) => user.role === "admin")!;
const cohortStudent = DEMO_USERS.find((user) => user.cohort === "batch-3")!;
let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

/** A signed-in member on their dashboard with the live socket open (it says hello first). */
async function member(email: string, password: string) {
  const opened = await openPage(browser, { baseURL });
  const connected = new Promise<void>((resolve) => {
    opened.page.on("websocket", (socket) => {
      if (!socket.url().endsWith("/api/live")) return;
      socket.on("framesent", (frame) => {
        if (String(frame.payload).includes('"hello"')) resolve();
      });
    });
  });
  await logIn(opened.page, email, password);
  await connected;
  return opened;
}

/** A signed-in member reading `path`, with the page's live socket open again after the navigation. */
async function reading(email: string, password: string, path: string) {
  const opened = await member(email, password);
  const connected = new Promise<void>((resolve) => {
    opened.page.on("websocket", (socket) => {
      if (!socket.url().endsWith("/api/live")) return;
      socket.on("framesent", (frame) => {
        if (String(frame.payload).includes('"hello"')) resolve();
      });
    });
  });
  await opened.page.goto(path);
  await connected;
  return opened;
}

describe("the live cohort in Chromium", () => {
  it("pushes an admin's announcement to every member of the cohort within a second, and to no one else", async () => {
    const [batch3Peer, batch4Student] = CLASSMATES;
    const first = await member(cohortStudent.email, cohortStudent.password);
    const second = await member(batch3Peer.email, batch3Peer.password);
    const outsider = await member(batch4Student.email, batch4Student.password);

    const staff = await openPage(browser, { baseURL });
    await logIn(staff.page, admin.email, admin.password);
    await staff.page.goto("/admin/announcements");
    await expectAccessible(staff.page);
    const title = `Lab clinic moved to Thursday ${Date.now()}`;
    await staff.page.getByLabel("Title").fill(title);
    await staff.page.getByLabel("Message").fill("The **Kubernetes lab clinic** is on Thursday at 18:00.");
    await staff.page.getByLabel("Audience").selectOption({ label: "Batch 3" });
    const posted = staff.page.waitForResponse(
      (response) => response.url().includes("/admin/announcements") && response.request().method() === "POST",
    );
    await staff.page.getByRole("button", { name: "Post announcement" }).click();
    await posted;
    const sentAt = Date.now();

    // Both classmates see it without reloading, within one second of the post.
    await Promise.all(
      [first.page, second.page].map((page) => page.getByText(title).waitFor({ state: "visible", timeout: 1_000 })),
    );
    expect(Date.now() - sentAt).toBeLessThan(1_000);
    for (const page of [first.page, second.page]) {
      await expect.poll(() => page.getByRole("link", { name: /Announcements, \d+ unread/ }).isVisible()).toBe(true);
    }
    await screenshot(first.page, "announcement-toast");

    // The other cohort's student never gets it, live or on reload.
    await outsider.page.waitForTimeout(1_500);
    expect(await outsider.page.getByText(title).count()).toBe(0);
    await outsider.page.goto("/announcements");
    expect(await outsider.page.getByText(title).count()).toBe(0);

    // Opening the announcements page shows it and clears the badge.
    await first.page.getByRole("link", { name: "Read announcements" }).first().click();
    await first.page.waitForURL("**/announcements");
    await expect.poll(() => first.page.getByRole("heading", { name: title }).isVisible()).toBe(true);
    await expect
      .poll(() => first.page.getByRole("link", { name: "Announcements", exact: true }).isVisible())
      .toBe(true);
    await expectAccessible(first.page);

    for (const opened of [first, second, outsider, staff]) {
      expect(opened.errors).toEqual([]);
      await opened.context.close();
    }
  });

  it("shows a new discussion post to another reader of the lecture without a reload", async () => {
    const path = "/modules/linux/the-shell-and-filesystem/discussion";
    const [classmate] = CLASSMATES;
    const reader = await reading(cohortStudent.email, cohortStudent.password, path);
    const writer = await reading(classmate.email, classmate.password, path);
    // Survives only if the page is not reloaded.
    await reader.page.evaluate(() => Object.assign(window, { stillTheSamePage: true }));

    const question = `Does tab completion work for paths in every shell? ${Date.now()}`;
    const shown = (page: Page) => page.getByRole("article").getByRole("paragraph").filter({ hasText: question });
    await writer.page.getByRole("textbox", { name: "Your post", exact: true }).fill(question);
    await writer.page.getByRole("button", { name: "Post", exact: true }).click();
    await shown(writer.page).waitFor({ state: "visible" });

    await shown(reader.page).waitFor({ state: "visible", timeout: 5_000 });
    expect(await reader.page.evaluate(() => "stillTheSamePage" in window)).toBe(true);
    await expectAccessible(reader.page);
    for (const opened of [reader, writer]) {
      expect(opened.errors).toEqual([]);
      await opened.context.close();
    }
  });

  it("counts down to a cohort that starts in seconds, then shows it running without saying expired", async () => {
    // Far enough ahead that `wrangler d1 execute` and the first page load finish before it starts.
    const startsAt = Math.floor(Date.now() / 1000) + 20;
    executeSql(stateDir, [
      `INSERT INTO cohorts (slug, name, course_title, timezone, starts_at, ends_at, enrollment_opens_at,
         enrollment_closes_at, capacity, price_cents, currency, status)
       VALUES ('batch-0', 'Batch Zero', 'DevOps Engineering', 'Asia/Bishkek', ${startsAt}, ${startsAt + 86_400 * 84},
         ${startsAt - 86_400}, ${startsAt}, 10, 49000, 'usd', 'enrolling');`,
    ]);
    const visitor = await openPage(browser, { baseURL });
    await visitor.page.goto("/");
    const countdown = visitor.page.getByRole("region", { name: /cohort/i });
    await expect.poll(() => countdown.textContent()).toMatch(/Batch Zero starts in/);
    await screenshot(visitor.page, "countdown-before");
    // Ticking in the browser: the seconds change without a reload.
    const before = await countdown.textContent();
    await expect.poll(() => countdown.textContent(), { timeout: 3_000 }).not.toBe(before);

    // At the start it flips to running and the next cohort takes over the countdown.
    await expect.poll(() => countdown.textContent(), { timeout: 30_000 }).toMatch(/Batch Zero is running: day 1/);
    expect(await countdown.textContent()).toMatch(/Batch 4 starts in/);
    expect((await visitor.page.content()).toLowerCase()).not.toContain("expired");
    await screenshot(visitor.page, "countdown-after");

    // The server says the same after a reload, and never "expired".
    await visitor.page.reload();
    await expect.poll(() => countdown.textContent()).toMatch(/Batch Zero is running: day 1/);
    await expectAccessible(visitor.page);
    expect(visitor.errors).toEqual([]);
    await visitor.context.close();
  });
});
