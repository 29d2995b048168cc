// The Chromium that browser tests and page audits drive: Debian's (README), or the binary
// CHROMIUM_PATH names (CHROME_PATH, as Lighthouse calls it, works too).
import { chromium, type Browser } from "playwright-core";

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? process.env.CHROME_PATH ?? "/usr/bin/chromium";

// Headless and offline: without the background-networking flags Chromium keeps dialling
// Google's hosts, which the machines running tests and audits cannot reach.
export const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_FLAGS });
}
