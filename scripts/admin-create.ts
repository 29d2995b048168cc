// Creates an admin, or promotes an existing account, in local or remote D1.
//   npm run admin:create -- --email ada@example.com [--name "Ada Lovelace"] [--password "…"]
//   npm run admin:create -- --email ada@example.com --remote --env production
// A new account gets the given password, or a generated one printed once.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import { upsertUserStatements } from "../db/seed/user-statements.ts";
import { hashPassword } from "../worker/auth/password.ts";
import { emailSchema, nameSchema, passwordSchema } from "../worker/auth/policy.ts";

const { values } = parseArgs({
  options: {
    email: { type: "string" },
    name: { type: "string" },
    password: { type: "string" },
    remote: { type: "boolean", default: false },
    env: { type: "string" },
    "persist-to": { type: "string" },
  },
});

function fail(message: string): never {
  console.error(`admin:create: ${message}`);
  process.exit(1);
}

const email = emailSchema.safeParse(values.email ?? "");
if (!email.success) fail(`--email: ${email.error.issues[0]?.message}`);
const name = nameSchema.safeParse(values.name ?? email.data.split("@")[0]);
if (!name.success) fail(`--name: ${name.error.issues[0]?.message}`);
const generated = values.password === undefined;
const password = passwordSchema.safeParse(values.password ?? randomBytes(18).toString("base64url"));
if (!password.success) fail(`--password: ${password.error.issues[0]?.message}`);

const target = [
  values.remote ? "--remote" : "--local",
  ...(values.env ? ["--env", values.env] : []),
  ...(values["persist-to"] ? ["--persist-to", values["persist-to"]] : []),
];
const wrangler = (args: string[]) =>
  execFileSync("wrangler", ["d1", "execute", "DB", ...target, ...args], {
    encoding: "utf8",
    env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
    stdio: ["ignore", "pipe", "inherit"],
  });

const existing = JSON.parse(
  wrangler(["--json", "--command", `SELECT role FROM users WHERE email = '${email.data.replaceAll("'", "''")}'`]),
) as Array<{ results: Array<{ role: string }> }>;
const existed = (existing[0]?.results.length ?? 0) > 0;

const statements = upsertUserStatements({
  id: crypto.randomUUID(),
  accountId: crypto.randomUUID(),
  name: name.data,
  email: email.data,
  role: "admin",
  passwordHash: await hashPassword(password.data),
});
wrangler(["--command", statements.join("\n")]);

const where = values.remote ? `remote D1${values.env ? ` (${values.env})` : ""}` : "local D1";
if (existed) {
  console.log(`${email.data} is now an admin in ${where}. Their password is unchanged.`);
} else {
  console.log(`Created admin ${email.data} in ${where}.`);
  if (generated) console.log(`Password (shown once, change it after logging in): ${password.data}`);
}
