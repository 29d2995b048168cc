import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { enrollStatement, upsertUserStatements } from "../../db/seed/user-statements.ts";
import { freePort, prepareState, startServer } from "../../scripts/local-server.ts";
import { hashPassword } from "../../worker/auth/password.ts";
import { startFakeStripe, STRIPE_TEST_KEYS } from "./fake-stripe.ts";

declare module "vitest" {
  export interface ProvidedContext {
    baseURL: string;
    stateDir: string;
    /** The stand-in for Stripe's API the Worker talks to (fake-stripe.ts). */
    stripeURL: string;
  }
}

/** Classmates for the live journeys: one more in the demo cohort student's Batch 3, one in Batch 4. */
export const CLASSMATES = [
  { name: "Bea Batch-Three", email: "bea.batch3@example.com", password: "same cohort as sam 3", cohort: "batch-3" },
  { name: "Finn Batch-Four", email: "finn.batch4@example.com", password: "the next cohort 4444", cohort: "batch-4" },
] as const;

/** Runs SQL against the local D1 of a `wrangler dev --persist-to` state directory. */
export function executeSql(stateDir: string, statements: string[]) {
  execFileSync(
    "wrangler",
    ["d1", "execute", "DB", "--local", "--persist-to", stateDir, "--command", statements.join("\n")],
    {
      stdio: ["ignore", "ignore", "inherit"],
      env: SERVER_ENV,
    },
  );
}

/** An enrolled student of their own, who works through the whole programme to a certificate. */
export const GRADUATE = {
  name: "Grace Graduate",
  email: "grace.graduate@example.com",
  password: "ship it every day 7",
};

/** An admin made by `npm run admin:create` during setup, to prove that command end to end. */
export const CREATED_ADMIN = { email: "ops.lead@example.com", password: "created by the cli 42" };

const SERVER_ENV = { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: "false", WRANGLER_SEND_METRICS: "false" };

/** Fresh local state (migrated and seeded), then the built Worker on a free port. */
export default async function setup(project: TestProject) {
  const stateDir = mkdtempSync(path.join(tmpdir(), "school-browser-"));
  await prepareState(stateDir);
  execFileSync(
    "node",
    [
      "scripts/admin-create.ts",
      "--email",
      CREATED_ADMIN.email,
      "--name",
      "Ops Lead",
      "--password",
      CREATED_ADMIN.password,
      "--persist-to",
      stateDir,
    ],
    { stdio: ["ignore", "ignore", "inherit"], env: SERVER_ENV },
  );

  const graduate = [
    ...upsertUserStatements({
      ...GRADUATE,
      id: crypto.randomUUID(),
      accountId: crypto.randomUUID(),
      role: "student",
      passwordHash: await hashPassword(GRADUATE.password),
    }),
    enrollStatement(GRADUATE.email, crypto.randomUUID()),
  ];
  for (const classmate of CLASSMATES) {
    graduate.push(
      ...upsertUserStatements({
        ...classmate,
        id: crypto.randomUUID(),
        accountId: crypto.randomUUID(),
        role: "student",
        passwordHash: await hashPassword(classmate.password),
      }),
      `INSERT INTO enrollments (id, user_id, status, source, cohort_id)
       SELECT '${crypto.randomUUID()}', users.id, 'active', 'seed', cohorts.id FROM users, cohorts
       WHERE users.email = '${classmate.email}' AND cohorts.slug = '${classmate.cohort}';`,
    );
  }
  executeSql(stateDir, graduate);

  const stripePort = await freePort();
  const stripe = await startFakeStripe(stripePort);
  const stripeURL = `http://127.0.0.1:${stripePort}`;
  const server = await startServer(stateDir, {
    vars: {
      STRIPE_SECRET_KEY: STRIPE_TEST_KEYS.secretKey,
      STRIPE_WEBHOOK_SECRET: STRIPE_TEST_KEYS.webhookSecret,
      STRIPE_API_BASE: stripeURL,
    },
  }).catch((error: unknown) => {
    stripe.close();
    throw error;
  });
  const { baseURL } = server;
  project.provide("baseURL", baseURL);
  project.provide("stripeURL", stripeURL);
  project.provide("stateDir", stateDir);

  return async () => {
    await server.stop();
    stripe.close();
    rmSync(stateDir, { recursive: true, force: true });
  };
}
