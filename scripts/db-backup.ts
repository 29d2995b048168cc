// Exports the rows of a D1 database to a SQL file under backups/, the input of a restore.
// D1 cannot export virtual tables (the FTS5 lecture search), so the backup holds the rows of
// every ordinary table; a restore applies the migrations first (schema, search index and its
// triggers), then these rows, and the triggers rebuild the search index as lectures go in.
//   npm run db:backup                          # local D1 (.wrangler/state)
//   npm run db:backup -- --env production      # remote D1 of an environment (needs wrangler login or CLOUDFLARE_API_TOKEN)
//   npm run db:backup -- --env staging --out backups/before-migration.sql
// Restoring is in docs/operations.md.
import { execFileSync } from "node:child_process";
import { mkdirSync, statSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";

const { values } = parseArgs({
  options: {
    env: { type: "string" },
    out: { type: "string" },
    "persist-to": { type: "string" },
  },
});

const environment = values.env ?? "local";
if (!/^[a-z][a-z0-9-]*$/.test(environment)) {
  console.error("db:backup: --env must be an environment name from wrangler.toml, like staging or production");
  process.exit(1);
}
const stamp = new Date()
  .toISOString()
  .replaceAll(":", "-")
  .replace(/\.\d+Z$/, "Z");
const out = values.out ?? path.join("backups", `${environment}-${stamp}.sql`);
mkdirSync(path.dirname(out), { recursive: true });

const target =
  environment === "local"
    ? ["--local", ...(values["persist-to"] ? ["--persist-to", values["persist-to"]] : [])]
    : ["--remote", "--env", environment];
const run = (args: string[], stdio: "inherit" | "pipe") =>
  execFileSync("wrangler", ["d1", ...args], {
    encoding: "utf8",
    stdio: ["ignore", stdio, "inherit"],
    env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
  });

// Ordinary tables only: not the FTS5 table or its shadow tables, not SQLite's or D1's own.
const listing = JSON.parse(
  run(
    [
      "execute",
      "DB",
      ...target,
      "--json",
      "--command",
      `SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL TABLE%'
       AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND name NOT LIKE 'lectures_fts%'
       AND name <> 'd1_migrations' ORDER BY name`,
    ],
    "pipe",
  ),
) as Array<{ results: Array<{ name: string }> }>;
const tables = listing[0]?.results.map((row) => row.name) ?? [];
if (tables.length === 0) {
  console.error(`db:backup: no tables in the ${environment} database (were the migrations applied?)`);
  process.exit(1);
}
run(
  ["export", "DB", ...target, "--no-schema", ...tables.flatMap((table) => ["--table", table]), "--output", out],
  "inherit",
);
console.log(
  `db:backup: ${tables.length} tables of ${environment} → ${out} (${(statSync(out).size / 1024).toFixed(1)} KiB)`,
);
