// One Lighthouse audit of one page, in a Chromium and a worker thread of its own that are ended
// afterwards, so a hung page cannot outlive its timeout or leak state into the next page's run.
import { launch } from "chrome-launcher";
import { Worker } from "node:worker_threads";
import type { Flags, Result } from "lighthouse";
import { CHROMIUM_FLAGS, CHROMIUM_PATH } from "../chromium.ts";

export const CATEGORIES = ["performance", "accessibility", "best-practices", "seo"] as const;
export type Category = (typeof CATEGORIES)[number];
// Lighthouse's default config: a mobile device with simulated (Lantern) throttling, the standard.
export const LIGHTHOUSE_PRESET = "mobile, simulated throttling (Lighthouse default)";

const METRICS = {
  fcpMs: "first-contentful-paint",
  lcpMs: "largest-contentful-paint",
  tbtMs: "total-blocking-time",
  cls: "cumulative-layout-shift",
  speedIndexMs: "speed-index",
} as const;
export type Metrics = Record<keyof typeof METRICS, number | null>;

export type FailedAudit = { id: string; title: string; score: number; categories: Category[] };
export type LighthouseReport = {
  url: string;
  lighthouseVersion: string;
  /** 0–100, null when Lighthouse could not score the category. */
  scores: Record<Category, number | null>;
  metrics: Metrics;
  /** Scored audits below a full score, for seeing what to fix. */
  failedAudits: FailedAudit[];
  /** Best-practices and SEO audits Lighthouse could not apply (e.g. HTTPS ones on http://127.0.0.1). */
  notApplicable: string[];
  /** Audits Lighthouse could not run; none of them counts towards a score when weight is 0. */
  erroredAudits: { id: string; weight: number; message: string }[];
  /** Set when Lighthouse could not measure the page at all, even on the retry. */
  runtimeError?: string;
  warnings: string[];
  /** 2 when the first run broke and was repeated. */
  attempts: number;
};

const SCORED_MODES = new Set(["binary", "numeric", "metricSavings"]);

export async function runLighthouse(
  url: string,
  options: { cookie?: string; timeoutMs: number },
): Promise<LighthouseReport> {
  let lhr = await auditOnce(url, options);
  let attempts = 1;
  // A broken trace (NO_NAVSTART and the like) leaves scores empty and asks to be run again;
  // that is a measurement that did not happen, not a second sample.
  if (lhr.runtimeError || CATEGORIES.some((category) => lhr.categories[category]?.score == null)) {
    lhr = await auditOnce(url, options);
    attempts += 1;
  }
  return { ...summarize(lhr), attempts };
}

async function auditOnce(url: string, options: { cookie?: string; timeoutMs: number }): Promise<Result> {
  // chrome-launcher gives every launch a fresh temporary --user-data-dir and removes it on kill.
  const chrome = await launch({ chromePath: CHROMIUM_PATH, chromeFlags: CHROMIUM_FLAGS, logLevel: "silent" });
  const flags: Flags = {
    port: chrome.port,
    logLevel: "error",
    output: "json",
    onlyCategories: [...CATEGORIES],
    maxWaitForLoad: Math.min(45_000, options.timeoutMs),
    extraHeaders: options.cookie ? { cookie: options.cookie } : undefined,
  };
  const worker = new Worker(new URL("./lighthouse-worker.ts", import.meta.url), { workerData: { url, flags } });
  let timer: NodeJS.Timeout | undefined;
  try {
    return await new Promise<Result>((resolve, reject) => {
      timer = setTimeout(
        () => reject(new Error(`Lighthouse timed out after ${options.timeoutMs} ms on ${url}`)),
        options.timeoutMs,
      );
      worker.once("message", (lhr: Result | null) =>
        lhr ? resolve(lhr) : reject(new Error(`Lighthouse returned no result for ${url}`)),
      );
      worker.once("error", reject);
      worker.once("exit", (code) => reject(new Error(`Lighthouse worker exited with ${code} on ${url}`)));
    });
  } finally {
    clearTimeout(timer);
    await worker.terminate();
    chrome.kill();
  }
}

function summarize(lhr: Result): Omit<LighthouseReport, "attempts"> {
  const scores = {} as Record<Category, number | null>;
  const failed = new Map<string, FailedAudit>();
  const notApplicable = new Set<string>();
  const errored = new Map<string, LighthouseReport["erroredAudits"][number]>();
  for (const category of CATEGORIES) {
    const entry = lhr.categories[category];
    scores[category] = entry?.score == null ? null : Math.round(entry.score * 100);
    for (const ref of entry?.auditRefs ?? []) {
      const audit = lhr.audits[ref.id];
      if (!audit) continue;
      // Accessibility and performance list every rule with nothing to check as not applicable.
      if (audit.scoreDisplayMode === "notApplicable" && (category === "best-practices" || category === "seo")) {
        notApplicable.add(ref.id);
      }
      if (audit.scoreDisplayMode === "error") {
        errored.set(ref.id, { id: ref.id, weight: ref.weight, message: audit.errorMessage ?? "" });
      }
      if (audit.score === null || audit.score >= 1 || !SCORED_MODES.has(audit.scoreDisplayMode)) continue;
      const known = failed.get(ref.id);
      if (known) known.categories.push(category);
      else failed.set(ref.id, { id: ref.id, title: audit.title, score: audit.score, categories: [category] });
    }
  }
  const metrics = Object.fromEntries(
    Object.entries(METRICS).map(([key, id]) => [key, lhr.audits[id]?.numericValue ?? null]),
  ) as Metrics;
  return {
    url: lhr.finalDisplayedUrl,
    lighthouseVersion: lhr.lighthouseVersion,
    scores,
    metrics,
    failedAudits: [...failed.values()],
    notApplicable: [...notApplicable],
    erroredAudits: [...errored.values()],
    runtimeError: lhr.runtimeError ? `${lhr.runtimeError.code}: ${lhr.runtimeError.message}` : undefined,
    warnings: lhr.runWarnings,
  };
}
