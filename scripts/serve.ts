// Serves the built Worker with wrangler dev: D1, R2 and Durable Objects simulated
// locally, state kept in .wrangler/state across restarts.
import { spawn } from "node:child_process";
import { DEMO_USERS } from "../db/seed/user-statements.ts";

const port = process.env.PORT ?? "8787";
const accounts = DEMO_USERS.map(
  (user) =>
    `    ${user.role.padEnd(8)} ${user.email.padEnd(24)} ${user.password.padEnd(22)}${user.cohort ? ` (in ${user.cohort}, drip schedule)` : ""}`,
).join("\n");

console.log(`
  DevOps School is starting on http://localhost:${port}

  Demo accounts (local only):
${accounts}

  Emails (confirmation, password reset) land in http://localhost:${port}/dev/outbox
  Stop with Ctrl+C. After code changes: npm run build, then npm run serve (or npm start).
`);

const child = spawn("wrangler", ["dev", "--port", port, "--ip", "127.0.0.1", "--show-interactive-dev-session=false"], {
  stdio: "inherit",
  // Libraries bundled as `wrangler deploy` bundles them (React's production build).
  env: { ...process.env, NODE_ENV: "production", CLOUDFLARE_CF_FETCH_ENABLED: "false", WRANGLER_SEND_METRICS: "false" },
});
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => child.kill(signal));
}
child.on("exit", (code) => process.exit(code ?? 0));
