// Front-end weight and Lighthouse scores of a running server (npm start, or wrangler dev on a build):
// the JavaScript and CSS each key route ships, and Lighthouse's four category scores with the
// Core Web Vitals behind them.
//   node scripts/bench/frontend.ts --base-url http://127.0.0.1:8787 [--json FILE] [--timeout SECONDS]
//     [--email E --password P] [--lecture PATH] [--module PATH]   (defaults: the demo student, a Kubernetes lecture)
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { gzipSync } from "node:zlib";
import type { Browser, BrowserContextOptions } from "playwright-core";
import { formatReport } from "./frontend-format.ts";
import { launchChromium } from "../chromium.ts";
import { LIGHTHOUSE_PRESET, runLighthouse, type LighthouseReport } from "./lighthouse.ts";

export { formatReport };
export type { Category, FailedAudit, LighthouseReport, Metrics } from "./lighthouse.ts";

export type RouteName = "landing" | "curriculum" | "module" | "lecture" | "dashboard";
export type AssetWeight = { files: number; rawBytes: number; gzipBytes: number };
export type RouteReport = {
  route: RouteName;
  path: string;
  signedIn: boolean;
  js: AssetWeight;
  css: AssetWeight;
  /** Absent for routes not audited (the module page); `lighthouseError` says why one failed. */
  lighthouse?: LighthouseReport;
  lighthouseError?: string;
};
export type FrontendReport = {
  baseURL: string;
  measuredAt: string;
  lighthousePreset: string;
  routes: RouteReport[];
};
export type FrontendOptions = {
  baseURL: string;
  studentEmail: string;
  studentPassword: string;
  lectureUrl: string;
  moduleUrl: string;
  /** Upper bound for one page's Lighthouse run; the whole run stays bounded on a hung page. */
  pageTimeoutMs?: number;
};

const ASSET_TYPES = { script: "js", stylesheet: "css" } as const;

export async function measureFrontend(options: FrontendOptions): Promise<FrontendReport> {
  const timeoutMs = options.pageTimeoutMs ?? 90_000;
  const routes: { route: RouteName; path: string; signedIn: boolean; audit: boolean }[] = [
    { route: "landing", path: "/", signedIn: false, audit: true },
    { route: "curriculum", path: "/modules", signedIn: false, audit: true },
    { route: "module", path: options.moduleUrl, signedIn: false, audit: false },
    { route: "lecture", path: options.lectureUrl, signedIn: false, audit: true },
    { route: "dashboard", path: "/dashboard", signedIn: true, audit: true },
  ];
  const reports: RouteReport[] = [];
  let cookie: string;
  const browser = await launchChromium();
  try {
    const session = await signIn(browser, options);
    cookie = session.cookie;
    for (const { route, path: routePath, signedIn } of routes) {
      const url = new URL(routePath, options.baseURL).href;
      const weight = await assetWeight(browser, url, signedIn ? session.storageState : undefined, timeoutMs);
      reports.push({ route, path: routePath, signedIn, ...weight });
    }
  } finally {
    await browser.close();
  }
  // One audit at a time and nothing else running: simulated throttling scales the CPU time it
  // observes, so a second browser busy on the same two cores would make every page look slower.
  for (const [i, { path: routePath, signedIn, audit }] of routes.entries()) {
    if (!audit) continue;
    const report = reports[i]!;
    const url = new URL(routePath, options.baseURL);
    try {
      const lighthouse = await runLighthouse(url.href, { cookie: signedIn ? cookie : undefined, timeoutMs });
      const landed = new URL(lighthouse.url).pathname;
      // A dashboard audit that ends on /login would score the login page.
      if (landed !== url.pathname) throw new Error(`${routePath} ended at ${landed}`);
      report.lighthouse = lighthouse;
    } catch (error) {
      report.lighthouseError = error instanceof Error ? error.message : String(error);
    }
  }
  return {
    baseURL: options.baseURL,
    measuredAt: new Date().toISOString(),
    lighthousePreset: LIGHTHOUSE_PRESET,
    routes: reports,
  };
}

/** Logs in through the form like a person would, for the dashboard's cookies. */
async function signIn(browser: Browser, options: FrontendOptions) {
  const context = await browser.newContext({ baseURL: options.baseURL });
  try {
    const page = await context.newPage();
    await page.goto("/login");
    await page.getByLabel("Email").fill(options.studentEmail);
    await page.getByLabel("Password").fill(options.studentPassword);
    await page.getByRole("button", { name: "Log in" }).click();
    // The login form refuses too many sign-ins per account (10 per 15 minutes): say so, don't time out.
    const alert = page.getByRole("alert").first();
    const signedIn = page.waitForURL("**/dashboard").then(() => null);
    const refused = alert.waitFor().then(() => alert.innerText());
    // The loser of the race rejects when the context closes; that is expected.
    signedIn.catch(() => {});
    refused.catch(() => {});
    const refusal = await Promise.race([signedIn, refused]);
    if (refusal !== null) throw new Error(`Sign-in as ${options.studentEmail} failed: ${refusal}`);
    const storageState = await context.storageState();
    const cookie = storageState.cookies.map(({ name, value }) => `${name}=${value}`).join("; ");
    return { storageState, cookie };
  } finally {
    await context.close();
  }
}

/** JavaScript and CSS as a first visit downloads them: a fresh context has an empty cache. */
async function assetWeight(
  browser: Browser,
  url: string,
  storageState: BrowserContextOptions["storageState"],
  timeoutMs: number,
): Promise<{ js: AssetWeight; css: AssetWeight }> {
  const context = await browser.newContext({ storageState });
  const totals = { js: emptyWeight(), css: emptyWeight() };
  const pending: Promise<void>[] = [];
  try {
    const page = await context.newPage();
    page.on("response", (response) => {
      const kind = ASSET_TYPES[response.request().resourceType() as keyof typeof ASSET_TYPES];
      if (!kind || !response.ok()) return;
      pending.push(
        response.body().then((body) => {
          totals[kind].files += 1;
          totals[kind].rawBytes += body.length;
          totals[kind].gzipBytes += gzipSync(body, { level: 9 }).length;
        }),
      );
    });
    const response = await page.goto(url, { waitUntil: "networkidle", timeout: timeoutMs });
    if (!response?.ok()) throw new Error(`${url} answered ${response?.status()}`);
    await Promise.all(pending);
    return totals;
  } finally {
    await context.close();
  }
}

function emptyWeight(): AssetWeight {
  return { files: 0, rawBytes: 0, gzipBytes: 0 };
}

// Importing the module (from another bench script) must not start a measurement.
if (import.meta.filename === path.resolve(process.argv[1] ?? "")) {
  const { values } = parseArgs({
    options: {
      "base-url": { type: "string" },
      json: { type: "string" },
      email: { type: "string", default: "student@devops.school" },
      password: { type: "string", default: "learn-devops-student" },
      lecture: { type: "string", default: "/modules/kubernetes/kubernetes-architecture" },
      module: { type: "string", default: "/modules/kubernetes" },
      timeout: { type: "string", default: "90" },
    },
  });
  if (!values["base-url"]) {
    console.error("Usage: node scripts/bench/frontend.ts --base-url http://127.0.0.1:8787 [--json FILE]");
    process.exit(2);
  }
  const report = await measureFrontend({
    baseURL: values["base-url"],
    studentEmail: values.email,
    studentPassword: values.password,
    lectureUrl: values.lecture,
    moduleUrl: values.module,
    pageTimeoutMs: Number(values.timeout) * 1000,
  });
  console.log(formatReport(report));
  if (values.json) await writeFile(values.json, `${JSON.stringify(report, null, 2)}\n`);
  if (report.routes.some((route) => route.lighthouseError)) process.exitCode = 1;
}
