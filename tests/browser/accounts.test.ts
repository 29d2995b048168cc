import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { DEMO_USERS } from "../../db/seed/user-statements.ts";
import { expectAccessible, launchChromium, openPage, screenshot, unexpectedErrors } from "./browser.ts";
import { CREATED_ADMIN } from "./global-setup.ts";

const baseURL = inject("baseURL");
const admin = DEMO_USERS.find((user) => user.role === "admin")!;
const student = DEMO_USERS.find((user) => user.role === "student")!;
let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

const heading = (page: Page) => page.getByRole("heading", { level: 1 }).textContent();

/** Opens the dev outbox and follows the newest link for `email` that contains `path`. */
async function followEmailLink(page: Page, email: string, path: string) {
  await page.goto("/dev/outbox");
  const message = page
    .getByRole("listitem")
    .filter({ hasText: `To ${email}` })
    .first();
  await message.getByRole("link", { name: new RegExp(path) }).click();
}

async function logIn(page: Page, email: string, password: string) {
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Log in" }).click();
}

describe("accounts in Chromium", () => {
  it("registers, confirms the email from the outbox, logs in and logs out", async () => {
    const { context, page, errors } = await openPage(browser, { baseURL });
    const email = `newcomer-${Date.now()}@example.com`;

    await page.goto("/");
    await page.getByRole("link", { name: "Sign up" }).click();
    await expect.poll(() => heading(page)).toBe("Create your account");
    await expectAccessible(page);

    // A weak password is refused next to the field, and what was typed stays.
    await page.getByLabel("Name").fill("Nia Newcomer");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill("short");
    await page.getByRole("button", { name: "Create account" }).click();
    await expect.poll(() => page.getByText("Use at least 10 characters.").isVisible()).toBe(true);
    expect(await page.getByLabel("Email").inputValue()).toBe(email);
    expect(await page.getByLabel("Name").inputValue()).toBe("Nia Newcomer");
    await screenshot(page, "register-error");
    await expectAccessible(page);

    await page.getByLabel("Password").fill("my first devops passphrase");
    await page.getByRole("button", { name: "Create account" }).click();
    await expect.poll(() => heading(page)).toBe("Check your email");

    await followEmailLink(page, email, "/verify-email");
    await expect.poll(() => heading(page)).toBe("Email confirmed");
    await page.getByRole("link", { name: "Log in" }).last().click();

    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill("my first devops passphrase");
    await page.getByRole("button", { name: "Log in" }).click();
    await page.waitForURL("**/dashboard");
    const menu = page.locator("summary", { hasText: "Account menu for Nia Newcomer" });
    await expect.poll(() => menu.isVisible()).toBe(true);
    const cookie = (await context.cookies()).find((entry) => entry.name === "__Host-school.session");
    expect(cookie).toMatchObject({ httpOnly: true, secure: true, sameSite: "Lax", path: "/" });

    await menu.click();
    await expect.poll(() => page.getByRole("link", { name: "Admin" }).count()).toBe(0);
    await page.getByRole("button", { name: "Log out" }).click();
    await expect.poll(() => page.getByRole("link", { name: "Sign up" }).isVisible()).toBe(true);
    expect((await context.cookies()).some((entry) => entry.name === "__Host-school.session")).toBe(false);

    // The weak password was answered with 400, on purpose; nothing else may show up.
    expect(unexpectedErrors(errors, [400])).toEqual([]);
    await context.close();
  });

  it("resets a forgotten password from the outbox link and logs in with the new one", async () => {
    const { context, page, errors } = await openPage(browser, { baseURL });
    await page.goto("/login");
    await page.getByRole("link", { name: "Forgot your password?" }).click();
    await expect.poll(() => heading(page)).toBe("Reset your password");
    await page.getByLabel("Email").fill(student.email);
    await page.getByRole("button", { name: "Send reset link" }).click();
    await expect.poll(() => heading(page)).toBe("Check your email");

    await followEmailLink(page, student.email, "/reset-password");
    await expect.poll(() => heading(page)).toBe("Choose a new password");
    await expectAccessible(page);
    await page.getByLabel("New password", { exact: true }).fill("a fresh start for sam");
    await page.getByLabel("Confirm new password").fill("a fresh start for sam");
    await page.getByRole("button", { name: "Save new password" }).click();
    await page.waitForURL("**/login?reset=1");
    await expect.poll(() => page.getByText("Your password was changed").isVisible()).toBe(true);

    await logIn(page, student.email, student.password);
    await expect.poll(() => page.getByText("Email or password is incorrect.").isVisible()).toBe(true);
    await logIn(page, student.email, "a fresh start for sam");
    await page.waitForURL("**/dashboard");

    // Put the demo password back for the other journeys.
    await page.goto("/account");
    await page.getByLabel("Current password").nth(1).fill("a fresh start for sam");
    await page.getByLabel("New password", { exact: true }).fill(student.password);
    await page.getByLabel("Confirm new password").fill(student.password);
    await page.getByRole("button", { name: "Change password" }).click();
    await page.waitForURL("**/account?changed=password");
    // Nothing typed into a password field survives a successful change.
    await expect.poll(() => page.getByLabel("New password", { exact: true }).inputValue()).toBe("");
    expect(await page.getByLabel("Current password").nth(1).inputValue()).toBe("");
    await screenshot(page, "account");
    await expectAccessible(page);
    // The old password was answered with 401, on purpose.
    expect(unexpectedErrors(errors, [401])).toEqual([]);
    await context.close();
  });

  it("hides the admin from students (404) and opens it for admins", async () => {
    const { context, page } = await openPage(browser, { baseURL });
    await logIn(page, student.email, student.password);
    await page.waitForURL("**/dashboard");
    const refused = await page.goto("/admin");
    expect(refused!.status()).toBe(404);
    expect(await heading(page)).toBe("This page doesn't exist");
    await context.close();

    const asAdmin = await openPage(browser, { baseURL });
    await logIn(asAdmin.page, admin.email, admin.password);
    await asAdmin.page.waitForURL("**/dashboard");
    await asAdmin.page.locator("summary", { hasText: "Account menu" }).click();
    await asAdmin.page.getByRole("link", { name: "Admin" }).click();
    await asAdmin.page.waitForURL("**/admin");
    await expect.poll(() => heading(asAdmin.page)).toBe("Admin");
    expect(await asAdmin.page.getByRole("heading", { name: "Newest accounts" }).isVisible()).toBe(true);
    await screenshot(asAdmin.page, "admin");
    await expectAccessible(asAdmin.page);
    expect(asAdmin.errors).toEqual([]);
    await asAdmin.context.close();
  });

  it("lets an admin made with `npm run admin:create` into the admin", async () => {
    const { context, page } = await openPage(browser, { baseURL });
    await logIn(page, CREATED_ADMIN.email, CREATED_ADMIN.password);
    await page.waitForURL("**/dashboard");
    expect((await page.goto("/admin"))!.status()).toBe(200);
    expect(await page.getByRole("cell", { name: CREATED_ADMIN.email }).isVisible()).toBe(true);
    await context.close();
  });

  it("logs in and out without JavaScript", async () => {
    const { context, page } = await openPage(browser, { baseURL, javaScriptEnabled: false });
    await page.goto("/account");
    expect(page.url()).toContain("/login?redirectTo=%2Faccount");
    await page.getByLabel("Email").fill(admin.email);
    await page.getByLabel("Password").fill("not the password");
    await page.getByRole("button", { name: "Log in" }).click();
    await page.waitForLoadState();
    expect(await page.getByRole("alert").textContent()).toBe("Email or password is incorrect.");
    expect(await page.getByLabel("Email").inputValue()).toBe(admin.email);

    await page.getByLabel("Password").fill(admin.password);
    await page.getByRole("button", { name: "Log in" }).click();
    await page.waitForURL("**/account");
    expect(await heading(page)).toBe("Account settings");
    await page.locator("summary", { hasText: "Account menu" }).click();
    await page.getByRole("button", { name: "Log out" }).click();
    await page.waitForURL(`${baseURL}/`);
    expect(await page.getByRole("link", { name: "Sign up" }).isVisible()).toBe(true);
    await context.close();
  });
});
