// The benchmark's dataset: the seeded curriculum grown to 128 lectures, one running cohort
// and 10,000 students in it with realistic progress, private notes and discussion posts,
// each with a live session. Generated inside SQLite (recursive CTEs), so building it takes
// seconds and the statements stay small.
import path from "node:path";
import type { D1Database } from "@cloudflare/workers-types";
import { getPlatformProxy } from "wrangler";
import { SESSION_COOKIE } from "../../worker/auth/auth.ts";

export const SCALE = { lectures: 128, students: 10_000, lecturesPerBenchModule: 12 } as const;
export const BENCH_COHORT_SLUG = "bench-batch";
export const BENCH_EMAIL_DOMAIN = "bench.devops.school";
const DAY = 86_400;

export type ScaleDataset = {
  lectures: number;
  students: number;
  progressRows: number;
  notes: number;
  posts: number;
  cohortId: number;
  /** The first free-preview lecture: what an anonymous visitor can read in full. */
  previewLecture: { id: number; path: string };
  publishedLectureIds: number[];
  /** One signed session cookie per student (`Cookie:` header values), in student order. */
  studentCookies: string[];
  adminCookie: string;
  seconds: number;
};

/** A session row for a user and the cookie a browser would send for it (better-auth's signed format). */
async function session(db: D1Database, secret: string, userId: string, now: number) {
  const token = `bench${crypto.randomUUID().replaceAll("-", "")}`;
  const statement = db
    .prepare(`insert into sessions (id, user_id, token, expires_at, created_at, updated_at) values (?, ?, ?, ?, ?, ?)`)
    .bind(`bench-session-${userId}`, userId, token, now + 7 * DAY, now, now);
  return { statement, cookie: await cookieFor(secret, token) };
}

/** `name=token.signature`, the signature an HMAC-SHA256 of the token, base64, URI-encoded. */
export async function cookieFor(secret: string, token: string): Promise<string> {
  const key = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const signature = new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(token)));
  return `${SESSION_COOKIE}=${encodeURIComponent(`${token}.${btoa(String.fromCharCode(...signature))}`)}`;
}

function statements(now: number, existingLectures: number) {
  const extraLectures = SCALE.lectures - existingLectures;
  const extraModules = Math.ceil(extraLectures / SCALE.lecturesPerBenchModule);
  const n = (count: number) => `with recursive n(i) as (select 1 union all select i + 1 from n where i < ${count})`;
  return [
    // Modules after the seeded ones, each opening a week after the previous.
    `insert into modules (slug, title, summary, overview_markdown, overview_html, position, published, release_offset_days)
     ${n(extraModules)}
     select 'bench-module-' || i, 'Operations track ' || i, 'Running production systems, part ' || i || '.',
       'Part ' || i || ' of the operations track.', '<p>Part ' || i || ' of the operations track.</p>',
       (select max(position) from modules) + i, 1, 7 * i from n`,
    // Lectures with real bodies: copies of the seeded lectures' markdown, HTML and contents.
    `insert into lectures (module_id, slug, title, summary, body_markdown, body_html, body_text, toc_json,
       duration_minutes, position, published, free_preview)
     ${n(extraLectures)}, src as (select l.*, row_number() over (order by l.id) as r from lectures l)
     select m.id, 'ops-lecture-' || n.i, 'Operations lecture ' || n.i || ': ' || src.title, src.summary,
       src.body_markdown, src.body_html, src.body_text, src.toc_json, src.duration_minutes,
       ((n.i - 1) % ${SCALE.lecturesPerBenchModule}) + 1, 1, 0
     from n
     join modules m on m.slug = 'bench-module-' || (((n.i - 1) / ${SCALE.lecturesPerBenchModule}) + 1)
     join src on src.r = ((n.i - 1) % ${existingLectures}) + 1`,
    `insert into cohorts (slug, name, course_title, timezone, starts_at, ends_at, enrollment_opens_at,
       enrollment_closes_at, capacity, price_cents, status)
     values ('${BENCH_COHORT_SLUG}', 'Bench batch', 'DevOps Engineer', 'UTC', ${now - 200 * DAY}, ${now + 60 * DAY},
       ${now - 260 * DAY}, ${now - 200 * DAY}, ${SCALE.students}, 50000, 'running')`,
    `insert into users (id, name, email, email_verified, role)
     ${n(SCALE.students)} select 'bench-user-' || i, 'Student ' || i, 'student' || i || '@${BENCH_EMAIL_DOMAIN}', 1, 'student' from n`,
    `insert into enrollments (id, user_id, status, source, cohort_id)
     select 'bench-enrollment-' || substr(id, 12), id, 'active', 'seed', (select id from cohorts where slug = '${BENCH_COHORT_SLUG}')
     from users where email like '%@${BENCH_EMAIL_DOMAIN}'`,
    // Student i has finished the first (i * 37 % 100)% of the course in order, and is part-way
    // through the next lecture: the spread a cohort 200 days in looks like.
    `insert into lecture_progress (user_id, lecture_id, position_seconds, completed_at, created_at, updated_at)
     with ranked as (
       select l.id, row_number() over (order by m.position, l.position) as r
       from lectures l join modules m on m.id = l.module_id where l.published = 1 and m.published = 1
     ), students as (
       select id as user_id, cast(substr(id, 12) as integer) as i from users where email like '%@${BENCH_EMAIL_DOMAIN}'
     )
     select s.user_id, ranked.id, (s.i * 13) % 900,
       case when ranked.r <= (s.i * 37 % 100) * ${SCALE.lectures} / 100 then ${now} - (s.i % 90) * ${DAY} end,
       ${now} - (s.i % 90) * ${DAY}, ${now} - (s.i % 90) * ${DAY}
     from students s join ranked on ranked.r <= (s.i * 37 % 100) * ${SCALE.lectures} / 100 + 1`,
    // Three private notes each, on lectures spread over the course.
    `insert into lecture_notes (user_id, lecture_id, body_markdown)
     with ranked as (select id, row_number() over (order by id) as r from lectures where published = 1),
     students as (select id as user_id, cast(substr(id, 12) as integer) as i from users where email like '%@${BENCH_EMAIL_DOMAIN}'),
     k(j) as (values (0), (1), (2))
     select s.user_id, ranked.id,
       '## What I took away' || char(10) || char(10) || '- kubectl get pods -A shows every namespace' || char(10) ||
       '- Remember to check the liveness probe before blaming the image (note ' || s.i || '-' || k.j || ')'
     from students s join k join ranked on ranked.r = ((s.i * 7 + k.j * 41) % ${SCALE.lectures}) + 1`,
    // Two posts per student on average, one in four of them a reply to an earlier post.
    `insert into discussion_posts (lecture_id, user_id, body_markdown, body_html, created_at, updated_at)
     with ranked as (select id, row_number() over (order by id) as r from lectures where published = 1),
     students as (select id as user_id, cast(substr(id, 12) as integer) as i from users where email like '%@${BENCH_EMAIL_DOMAIN}'),
     k(j) as (values (0), (1))
     select ranked.id, s.user_id,
       'Has anyone got the exercise working on **minikube**? My pod stays in \`CrashLoopBackOff\` (' || s.i || ').',
       '<p>Has anyone got the exercise working on <strong>minikube</strong>? My pod stays in <code>CrashLoopBackOff</code> (' || s.i || ').</p>',
       ${now} - (s.i % 180) * 3600 - k.j * 60, ${now} - (s.i % 180) * 3600 - k.j * 60
     from students s join k join ranked on ranked.r = ((s.i * 11 + k.j * 53) % ${SCALE.lectures}) + 1`,
    `update discussion_posts set parent_id = (
       select p.id from discussion_posts p where p.lecture_id = discussion_posts.lecture_id and p.id < discussion_posts.id
         and p.parent_id is null order by p.id limit 1)
     where id % 4 = 0 and user_id like 'bench-user-%'`,
  ];
}

/** Adds the dataset to the seeded local D1 in `persistTo` (the folder given to `wrangler dev --persist-to`). */
export async function buildScaleDataset(persistTo: string): Promise<ScaleDataset> {
  const started = performance.now();
  const platform = await getPlatformProxy<{ DB: D1Database; AUTH_SECRET: string }>({
    persist: { path: path.join(path.resolve(persistTo), "v3") },
  });
  try {
    const db = platform.env.DB;
    const now = Math.floor(Date.now() / 1000);
    const existing = (await db.prepare("select count(*) as c from lectures").first<number>("c")) ?? 0;
    if (existing >= SCALE.lectures) throw new Error(`Expected the seeded curriculum only, found ${existing} lectures.`);
    for (const statement of statements(now, existing)) await db.prepare(statement).run();

    const secret = platform.env.AUTH_SECRET;
    const admin = await db
      .prepare("select id from users where role = 'admin' order by created_at limit 1")
      .first<string>("id");
    if (!admin) throw new Error("The seed has no admin to post announcements with.");
    const adminSession = await session(db, secret, admin, now);
    const students = [];
    for (let i = 1; i <= SCALE.students; i++) students.push(await session(db, secret, `bench-user-${i}`, now));
    const rows = [adminSession, ...students].map((entry) => entry.statement);
    for (let i = 0; i < rows.length; i += 500) await db.batch(rows.slice(i, i + 500));

    const preview = await db
      .prepare(
        `select l.id, m.slug as module, l.slug as lecture from lectures l join modules m on m.id = l.module_id
         where l.free_preview = 1 and l.published = 1 and m.published = 1 order by m.position, l.position limit 1`,
      )
      .first<{ id: number; module: string; lecture: string }>();
    if (!preview) throw new Error("The seeded curriculum has no free-preview lecture.");
    const published = await db
      .prepare(
        "select l.id from lectures l join modules m on m.id = l.module_id where l.published = 1 and m.published = 1 order by l.id",
      )
      .all<{ id: number }>();
    const count = (sql: string) =>
      db
        .prepare(sql)
        .first<number>("c")
        .then((value) => value ?? 0);
    return {
      lectures: await count("select count(*) as c from lectures where published = 1"),
      students: await count(`select count(*) as c from users where email like '%@${BENCH_EMAIL_DOMAIN}'`),
      progressRows: await count("select count(*) as c from lecture_progress"),
      notes: await count("select count(*) as c from lecture_notes"),
      posts: await count("select count(*) as c from discussion_posts"),
      cohortId: (await db
        .prepare(`select id from cohorts where slug = ?`)
        .bind(BENCH_COHORT_SLUG)
        .first<number>("id"))!,
      previewLecture: { id: preview.id, path: `/modules/${preview.module}/${preview.lecture}` },
      publishedLectureIds: published.results.map((row) => row.id),
      studentCookies: students.map((entry) => entry.cookie),
      adminCookie: adminSession.cookie,
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    await platform.dispose();
  }
}
