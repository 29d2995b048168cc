import { gzipSync } from "node:zlib";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { launchChromium, openPage } from "./browser.ts";

const baseURL = inject("baseURL");
const LECTURE_JS_BUDGET_BYTES = 110 * 1024;
let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

describe("front-end budget", () => {
  it(`ships at most ${LECTURE_JS_BUDGET_BYTES / 1024} KB of gzipped JavaScript on a lecture page`, async () => {
    const { context, page } = await openPage(browser, { baseURL });
    const scripts = new Map<string, number>();
    page.on("response", async (response) => {
      if (response.request().resourceType() === "script") {
        scripts.set(response.url(), gzipSync(await response.body()).length);
      }
    });
    await page.goto("/modules/kubernetes/kubernetes-architecture", { waitUntil: "networkidle" });
    const total = [...scripts.values()].reduce((sum, size) => sum + size, 0);
    console.log(`lecture page JavaScript: ${scripts.size} files, ${(total / 1024).toFixed(1)} KB gzipped`);
    expect(scripts.size).toBeGreaterThan(0);
    expect(total).toBeLessThanOrEqual(LECTURE_JS_BUDGET_BYTES);
    await context.close();
  });
});
