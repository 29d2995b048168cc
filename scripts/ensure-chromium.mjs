// The browser tests drive Debian's Chromium (playwright cannot download browsers here).
// Installs it with apt when it is missing and we are root; otherwise says what to run.
import { execSync } from "node:child_process";
import { existsSync } from "node:fs";

const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

if (!existsSync(chromium)) {
  const isRoot = process.getuid?.() === 0;
  const canApt = existsSync("/usr/bin/apt-get");
  if (isRoot && canApt) {
    console.log("Chromium is missing: installing Debian's chromium package…");
    execSync("apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium", {
      stdio: "inherit",
    });
  } else {
    console.error(
      `Chromium was not found at ${chromium}. Install it, then run npm test again:\n` +
        "  sudo apt-get update && sudo apt-get install -y chromium\n" +
        "or point CHROMIUM_PATH at an existing Chromium or Chrome binary.",
    );
    process.exit(1);
  }
}
