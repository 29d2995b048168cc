// Installs dependencies when node_modules is missing or older than package-lock.json.
// Plain JavaScript on purpose: it runs on whatever Node is on PATH, before the pinned
// Node 22 (the `node` devDependency) exists.
import { execSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";

const stamp = "node_modules/.install-stamp";
const lockHash = createHash("sha256").update(readFileSync("package-lock.json")).digest("hex");
const installed = existsSync(stamp) && readFileSync(stamp, "utf8") === lockHash;

if (!installed || !existsSync("node_modules/.bin/node")) {
  console.log("Installing dependencies (npm ci)…");
  execSync("npm ci --no-audit --no-fund", { stdio: "inherit" });
  writeFileSync(stamp, lockHash);
}
