import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import {
  DAY,
  formatInterval,
  MAX_INTERVAL,
  MIN_EASE,
  ratingChoices,
  scheduleReview,
  type CardState,
} from "../../db/queries/interview-scheduler.ts";
import {
  listPracticeTopics,
  nextCard,
  practiceSummaryForDashboard,
  recordReview,
  type NextCard,
} from "../../db/queries/interview.ts";
import { REVIEW_RATINGS } from "../../db/schema.ts";
import { parseInterviewBank, upsertInterviewBank } from "../../db/seed/interview.ts";
import { enrollStatement } from "../../db/seed/user-statements.ts";
import type { CurrentUser } from "../../worker/auth/context.ts";
import { createAccount, login, post } from "./accounts.ts";
import { request, seedDemoCurriculum, seedFiles, testDatabase } from "./helpers.ts";

const BASE = new Date("2030-03-04T09:00:00Z");
const later = (minutes: number) => new Date(BASE.getTime() + minutes * 60_000);
const seconds = (date: Date) => Math.floor(date.getTime() / 1000);

async function actor(email: string): Promise<CurrentUser> {
  const row = await env.DB.prepare("select id, name, email, role from users where email = ?")
    .bind(email)
    .first<{ id: string; name: string; email: string; role: "student" | "admin" }>();
  return { ...row!, emailVerified: true };
}

function cardOf(user: CurrentUser, questionId: number) {
  return env.DB.prepare(
    "select ease_permille, interval_minutes, repetitions, lapses, last_rating, due_at, reviewed_at from interview_cards where user_id = ? and question_id = ?",
  )
    .bind(user.id, questionId)
    .first<{
      ease_permille: number;
      interval_minutes: number;
      repetitions: number;
      lapses: number;
      last_rating: string;
      due_at: number;
      reviewed_at: number;
    }>();
}

async function cardCount(user: CurrentUser) {
  return (await env.DB.prepare("select count(*) as n from interview_cards where user_id = ?")
    .bind(user.id)
    .first<number>("n"))!;
}

async function topicCounts(user: CurrentUser, slug: string, now: Date) {
  const list = await listPracticeTopics(testDatabase(), user, now);
  if (list.access !== "full") throw new Error("expected full access");
  return list.topics.find((topic) => topic.slug === slug)!;
}

function expectCard(next: NextCard) {
  if (next.status !== "card") throw new Error(`expected a card, got ${next.status}`);
  return next.card;
}

/** React escapes these in text content. */
const html = (text: string) =>
  text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll("'", "&#x27;");

// ---- The question bank files ---------------------------------------------------------

const answer = "A model answer with the key points first, then depth. ".repeat(5);
const question = (prompt: string, body = answer) => `## ${prompt}\n\n${body}\n`;
const bank = (count: number, front = "title: Sandbox\nsummary: A topic used only by these tests.") =>
  `---\n${front}\n---\n\n${Array.from({ length: count }, (_, index) => question(`What is test question number ${index + 1}?`)).join("\n")}`;

describe("interview bank files", () => {
  it("parses every seed bank file, with 6 to 10 rendered questions per topic", () => {
    const topics = parseInterviewBank(seedFiles());
    const slugs = topics.map((topic) => topic.slug);
    expect(slugs).toEqual(expect.arrayContaining(["linux", "networking", "aws", "terraform"]));
    for (const topic of topics) {
      expect(topic.questions.length, topic.slug).toBeGreaterThanOrEqual(6);
      expect(topic.questions.length, topic.slug).toBeLessThanOrEqual(10);
      expect(topic.summary.length).toBeLessThanOrEqual(160);
      for (const item of topic.questions) {
        expect(item.prompt).toMatch(/[?.]$/);
        expect(item.answerHtml).toContain("<p>");
        expect(item.answerHtml).not.toMatch(/<script|onerror=/i);
      }
    }
    for (const slug of ["linux", "networking", "aws", "terraform"]) {
      expect(topics.find((topic) => topic.slug === slug)!.questions).toHaveLength(8);
    }
    // Code in answers goes through the one markdown pipeline, highlighted.
    expect(topics.find((topic) => topic.slug === "terraform")!.questions[0]!.answerHtml).toContain(
      'class="hljs language-hcl"',
    );
  });

  it("ignores files outside interview/ and keeps code-block headings inside their answer", () => {
    const withCode =
      bank(5) +
      question("How do comments look in a script?", `${answer}\n\n\`\`\`bash\n## not a question\necho hi\n\`\`\`\n`);
    const topics = parseInterviewBank([
      { path: "01-linux/_module.md", source: "---\ntitle: x\n---\n" },
      { path: "interview/09-sandbox.md", source: withCode },
    ]);
    expect(topics).toHaveLength(1);
    expect(topics[0]!.questions).toHaveLength(6);
    expect(topics[0]!.questions[5]!.answerMarkdown).toContain("## not a question");
  });

  it.each([
    [
      "missing summary",
      "interview/09-sandbox.md",
      bank(6, "title: Sandbox"),
      /09-sandbox\.md: invalid front matter \(summary/,
    ],
    [
      "an unknown front matter key",
      "interview/09-sandbox.md",
      bank(6, "title: Sandbox\nsummary: A topic used only by these tests.\nlevel: hard"),
      /invalid front matter .*level/,
    ],
    ["too few questions", "interview/09-sandbox.md", bank(5), /09-sandbox\.md: has 5 questions; a topic has 6 to 10/],
    ["too many questions", "interview/09-sandbox.md", bank(11), /has 11 questions/],
    [
      "a question without ? or .",
      "interview/09-sandbox.md",
      bank(6).replace("What is test question number 2?", "Tell me about question two"),
      /09-sandbox\.md, question 2 \("Tell me about question two"\): prompt: the question must end with \? or \./,
    ],
    [
      "markup in a question",
      "interview/09-sandbox.md",
      bank(6).replace("What is test question number 3?", "What does `chmod 750` do?"),
      /question 3 .*plain text/,
    ],
    [
      "a thin model answer",
      "interview/09-sandbox.md",
      bank(6).replace(`What is test question number 4?\n\n${answer}`, "What is test question number 4?\n\nIt depends."),
      /question 4 .*model answer is too short/,
    ],
    [
      "the same question twice",
      "interview/09-sandbox.md",
      bank(6).replace("What is test question number 6?", "What is test question number 1?"),
      /question 6 .*appears twice/,
    ],
    [
      "text before the first question",
      "interview/09-sandbox.md",
      bank(6).replace("---\n\n##", "---\n\nIntro.\n\n##"),
      /text before the first question/,
    ],
    [
      "an unclosed code block",
      "interview/09-sandbox.md",
      `${bank(6)}\n\`\`\`bash\necho hi\n`,
      /code block .* never closed/,
    ],
    [
      "a badly named file",
      "interview/sandbox.md",
      bank(6),
      /interview\/sandbox\.md: name bank files interview\/NN-<topic-slug>\.md/,
    ],
  ])("rejects %s with a message naming the file and the problem", (_case, path, source, message) => {
    expect(() => parseInterviewBank([{ path, source }])).toThrow(message);
  });

  it("rejects two files with the same topic number", () => {
    expect(() =>
      parseInterviewBank([
        { path: "interview/09-sandbox.md", source: bank(6) },
        { path: "interview/09-other.md", source: bank(6) },
      ]),
    ).toThrow(/09-sandbox\.md: topic number already used/);
  });
});

// ---- The scheduler -------------------------------------------------------------------

const review = (intervalDays: number, easePermille = 2500): CardState => ({
  easePermille,
  intervalMinutes: intervalDays * DAY,
  repetitions: 3,
  lapses: 0,
});

describe("spaced repetition scheduler", () => {
  it("schedules a new card in minutes, or straight to 4 days when easy", () => {
    const minutes = Object.fromEntries(
      REVIEW_RATINGS.map((rating) => [rating, scheduleReview(null, rating, BASE).intervalMinutes]),
    );
    expect(minutes).toEqual({ again: 1, hard: 6, good: 10, easy: 4 * DAY });
    const good = scheduleReview(null, "good", BASE);
    expect(good).toMatchObject({ easePermille: 2500, repetitions: 1, lapses: 0, lastRating: "good" });
    expect(good.dueAt).toEqual(later(10));
    expect(scheduleReview(null, "again", BASE).repetitions).toBe(0);
  });

  it("graduates a learning card to 1 day on good from the 10-minute step", () => {
    const atTen = scheduleReview(null, "good", BASE);
    expect(scheduleReview(atTen, "good", later(10)).intervalMinutes).toBe(DAY);
    const atOne = scheduleReview(null, "again", BASE);
    expect(scheduleReview(atOne, "good", later(1)).intervalMinutes).toBe(10);
    expect(scheduleReview(atOne, "easy", later(1)).intervalMinutes).toBe(4 * DAY);
  });

  it("multiplies review intervals by ease and adjusts ease per rating", () => {
    const card = review(10);
    expect(scheduleReview(card, "hard", BASE)).toMatchObject({ intervalMinutes: 12 * DAY, easePermille: 2350 });
    expect(scheduleReview(card, "good", BASE)).toMatchObject({ intervalMinutes: 25 * DAY, easePermille: 2500 });
    expect(scheduleReview(card, "easy", BASE)).toMatchObject({ intervalMinutes: 33 * DAY, easePermille: 2650 });
    expect(scheduleReview(card, "good", BASE)).toMatchObject({ repetitions: 4, lapses: 0 });
  });

  it("lapses a forgotten review card back to 10 minutes, then relearns to 1 day", () => {
    const lapsed = scheduleReview(review(30), "again", BASE);
    expect(lapsed).toMatchObject({ intervalMinutes: 10, easePermille: 2300, lapses: 1, repetitions: 0 });
    expect(lapsed.dueAt).toEqual(later(10));
    expect(scheduleReview(lapsed, "good", later(10))).toMatchObject({ intervalMinutes: DAY, easePermille: 2300 });
  });

  it("never lets ease fall below 1300", () => {
    expect(scheduleReview(review(5, 1400), "again", BASE).easePermille).toBe(MIN_EASE);
    expect(scheduleReview(review(5, MIN_EASE), "hard", BASE).easePermille).toBe(MIN_EASE);
    expect(scheduleReview(review(5, MIN_EASE), "again", BASE).easePermille).toBe(MIN_EASE);
  });

  it("caps intervals at a year", () => {
    expect(scheduleReview(review(300), "easy", BASE).intervalMinutes).toBe(MAX_INTERVAL);
    expect(scheduleReview(review(365), "good", BASE).intervalMinutes).toBe(MAX_INTERVAL);
    expect(MAX_INTERVAL).toBe(365 * DAY);
  });

  it("always moves a review card further out on hard, good and easy, in that order", () => {
    for (const days of [1, 2, 3, 7, 30, 100]) {
      for (const ease of [MIN_EASE, 1700, 2500, 3200]) {
        const [hard, good, easy] = (["hard", "good", "easy"] as const).map(
          (rating) => scheduleReview(review(days, ease), rating, BASE).intervalMinutes,
        );
        expect(hard, `${days}d at ${ease}`).toBeGreaterThan(days * DAY);
        expect(good).toBeGreaterThan(hard!);
        expect(easy).toBeGreaterThan(good!);
      }
    }
  });

  it("labels every button with what it will do", () => {
    expect(ratingChoices(null, BASE).map((choice) => [choice.rating, choice.label])).toEqual([
      ["again", "1 min"],
      ["hard", "6 min"],
      ["good", "10 min"],
      ["easy", "4 days"],
    ]);
    expect(ratingChoices(review(10), BASE).map((choice) => choice.label)).toEqual([
      "10 min",
      "12 days",
      "25 days",
      "1.1 months",
    ]);
    expect([60, 90, DAY, 2 * DAY, 45 * DAY, 365 * DAY].map(formatInterval)).toEqual([
      "1 h",
      "2 h",
      "1 day",
      "2 days",
      "1.5 months",
      "1 year",
    ]);
  });
});

// ---- Practice with real D1 ----------------------------------------------------------

const users = {
  first: "first.learner@example.com",
  second: "second.learner@example.com",
  browser: "browser.learner@example.com",
  outsider: "not.enrolled.learner@example.com",
  teacher: "teacher.practice@example.com",
};
const PASSWORD = "spaced repetition works";
const cookies: Record<keyof typeof users, string> = { first: "", second: "", browser: "", outsider: "", teacher: "" };
const linuxQuestions: Array<{ id: number; prompt: string }> = [];

describe("interview practice", () => {
  beforeAll(async () => {
    await seedDemoCurriculum();
    await upsertInterviewBank(testDatabase(), parseInterviewBank(seedFiles()));
    for (const [key, email] of Object.entries(users)) {
      await createAccount(email, PASSWORD, key === "teacher" ? "admin" : "student");
      if (key !== "outsider" && key !== "teacher") {
        await env.DB.prepare(enrollStatement(email, `enr-${key}`)).run();
      }
      cookies[key as keyof typeof users] = await login(email, PASSWORD);
    }
    const rows = await env.DB.prepare(
      "select q.id, q.prompt from interview_questions q join interview_topics t on t.id = q.topic_id where t.slug = 'linux' order by q.position",
    ).all<{ id: number; prompt: string }>();
    linuxQuestions.push(...rows.results);
  });

  it("upserts the bank idempotently, keeping ids, and deletes questions past a shorter topic", async () => {
    const db = testDatabase();
    const before = await env.DB.prepare("select id, topic_id, position from interview_questions order by id").all();
    await upsertInterviewBank(db, parseInterviewBank(seedFiles()));
    const after = await env.DB.prepare("select id, topic_id, position from interview_questions order by id").all();
    expect(after.results).toEqual(before.results);

    const sandbox = (count: number) => parseInterviewBank([{ path: "interview/99-sandbox.md", source: bank(count) }]);
    await upsertInterviewBank(db, sandbox(8));
    const ids = async () =>
      (
        await env.DB.prepare(
          "select q.id from interview_questions q join interview_topics t on t.id = q.topic_id where t.slug = 'sandbox' order by q.position",
        ).all<{ id: number }>()
      ).results.map((row) => row.id);
    const eight = await ids();
    expect(eight).toHaveLength(8);
    await upsertInterviewBank(db, sandbox(6));
    expect(await ids()).toEqual(eight.slice(0, 6));
    await env.DB.prepare("delete from interview_topics where slug = 'sandbox'").run();
  });

  it("moves due and new counts per topic as cards are reviewed", async () => {
    const db = testDatabase();
    const me = await actor(users.first);
    expect(await topicCounts(me, "linux", BASE)).toMatchObject({ total: 8, due: 0, new: 8, learned: 0 });

    const first = expectCard(await nextCard(db, me, "linux", BASE));
    expect(first).toMatchObject({ position: 1, isNew: true, expected: "new" });
    expect(first.choices.map((choice) => choice.label)).toEqual(["1 min", "6 min", "10 min", "4 days"]);
    expect(await recordReview(db, me, first.questionId, "good", "new", BASE)).toMatchObject({
      applied: true,
      intervalMinutes: 10,
    });

    expect(await topicCounts(me, "linux", BASE)).toMatchObject({ due: 0, new: 7 });
    expect(await topicCounts(me, "linux", later(10))).toMatchObject({ due: 1, new: 7 });

    // Nothing due yet: the next new question. Once the first is due, it comes before new ones.
    expect(expectCard(await nextCard(db, me, "linux", BASE)).position).toBe(2);
    const due = expectCard(await nextCard(db, me, "linux", later(11)));
    expect(due).toMatchObject({ position: 1, isNew: false, expected: seconds(BASE) });
    expect(due.choices.map((choice) => choice.label)).toEqual(["1 min", "6 min", "1 day", "4 days"]);

    await recordReview(db, me, due.questionId, "good", seconds(BASE), later(11));
    expect(await topicCounts(me, "linux", later(11))).toMatchObject({ due: 0, new: 7, learned: 1 });
    expect(await topicCounts(me, "linux", later(11 + 24 * 60))).toMatchObject({ due: 1, new: 7 });
    // Other topics are untouched.
    expect(await topicCounts(me, "networking", later(11 + 24 * 60))).toMatchObject({ due: 0, new: 8 });
  });

  it("serves the card that has waited longest first, then says when the next one is due", async () => {
    const db = testDatabase();
    const me = await actor(users.first);
    const start = later(60);
    // Rate every AWS question: #1 again (due in 1 min), #2 hard (6 min), the rest easy (4 days).
    for (let index = 0; index < 8; index++) {
      const card = expectCard(await nextCard(db, me, "aws", start));
      const rating = index === 0 ? "again" : index === 1 ? "hard" : "easy";
      expect((await recordReview(db, me, card.questionId, rating, card.expected, start)).applied).toBe(true);
    }
    const caughtUp = await nextCard(db, me, "aws", start);
    expect(caughtUp).toMatchObject({ status: "caught_up", nextDueAt: new Date(start.getTime() + 60_000) });

    const tenMinutesOn = new Date(start.getTime() + 10 * 60_000);
    expect(await topicCounts(me, "aws", tenMinutesOn)).toMatchObject({ due: 2, new: 0 });
    expect(expectCard(await nextCard(db, me, "aws", tenMinutesOn)).position).toBe(1);
  });

  it("applies a double-submitted rating once", async () => {
    const db = testDatabase();
    const me = await actor(users.first);
    const card = expectCard(await nextCard(db, me, "terraform", BASE));
    expect((await recordReview(db, me, card.questionId, "good", "new", BASE)).applied).toBe(true);
    expect(await recordReview(db, me, card.questionId, "good", "new", BASE)).toEqual({
      applied: false,
      reason: "stale",
    });
    // Two reviews in the same second still each move the card's version on.
    expect((await recordReview(db, me, card.questionId, "good", seconds(BASE), BASE)).applied).toBe(true);
    expect((await recordReview(db, me, card.questionId, "good", seconds(BASE), BASE)).applied).toBe(false);
    expect(await cardOf(me, card.questionId)).toMatchObject({ repetitions: 2, interval_minutes: DAY });
  });

  it("keeps each student's cards and counts to themselves", async () => {
    const db = testDatabase();
    const other = await actor(users.second);
    expect(await topicCounts(other, "linux", later(11 + 24 * 60))).toMatchObject({ due: 0, new: 8, learned: 0 });
    expect(expectCard(await nextCard(db, other, "linux", later(11 + 24 * 60)))).toMatchObject({
      position: 1,
      isNew: true,
    });
    expect(await cardCount(other)).toBe(0);
    // Rating the same question creates the second student's own card; the first's is unchanged.
    const mine = await cardOf(await actor(users.first), linuxQuestions[0]!.id);
    expect((await recordReview(db, other, linuxQuestions[0]!.id, "easy", "new", BASE)).applied).toBe(true);
    expect(await cardOf(await actor(users.first), linuxQuestions[0]!.id)).toEqual(mine);
    expect(await cardOf(other, linuxQuestions[0]!.id)).toMatchObject({ interval_minutes: 4 * DAY });
  });

  it("gives the dashboard a batchable per-topic summary", async () => {
    const db = testDatabase();
    const me = await actor(users.first);
    const [summary] = await db.batch([practiceSummaryForDashboard(db, me, later(11 + 24 * 60))]);
    expect(summary.map((row) => row.slug).slice(0, 4)).toEqual(["linux", "networking", "aws", "terraform"]);
    expect(summary.find((row) => row.slug === "linux")).toMatchObject({
      title: "Linux",
      due: 1,
      new: 7,
      total: 8,
    });
  });

  it("refuses students without an enrolment, and shows them what practice holds", async () => {
    const db = testDatabase();
    const outsider = await actor(users.outsider);
    const list = await listPracticeTopics(db, outsider, BASE);
    expect(list.access).toBe("enrollment_required");
    expect(list.topics.find((topic) => topic.slug === "linux")).toEqual({
      slug: "linux",
      title: "Linux",
      summary: expect.any(String),
      total: 8,
    });
    expect(await nextCard(db, outsider, "linux", BASE)).toMatchObject({ status: "enrollment_required" });
    expect(await recordReview(db, outsider, linuxQuestions[0]!.id, "good", "new", BASE)).toEqual({
      applied: false,
      reason: "enrollment_required",
    });

    for (const path of ["/practice", "/practice/linux"]) {
      const response = await request(path, { headers: { cookie: cookies.outsider } });
      expect(response.status).toBe(200);
      const page = await response.text();
      expect(page).toContain("Interview practice is for enrolled students");
      expect(page).not.toContain(html(linuxQuestions[0]!.prompt));
    }
    const response = await post(
      "/practice/linux",
      { questionId: String(linuxQuestions[0]!.id), rating: "good", expected: "new" },
      { cookie: cookies.outsider },
    );
    expect(response.status).toBe(403);
    expect(await response.text()).toContain("Interview practice is open to enrolled students.");
    expect(await cardCount(outsider)).toBe(0);
  });

  it("sends visitors to log in", async () => {
    for (const path of ["/practice", "/practice/linux"]) {
      const response = await request(path);
      expect(response.status).toBe(302);
      expect(response.headers.get("location")).toBe(`/login?${new URLSearchParams({ redirectTo: path })}`);
    }
    const response = await post("/practice/linux", { questionId: "1", rating: "good", expected: "new" });
    expect(response.status).toBe(302);
  });

  it("lists topics with counts and a call to action", async () => {
    const response = await request("/practice", { headers: { cookie: cookies.browser } });
    expect(response.status).toBe(200);
    const page = await response.text();
    expect(page).toContain("<h1");
    expect(page).toContain("Interview practice");
    for (const title of ["Linux", "Networking", "AWS", "Terraform"]) expect(page).toContain(title);
    expect(page).toContain("Start 8 new questions");
    expect(page).toContain('href="/practice/linux"');
  });

  it("shows one question with its model answer behind a details element and four rated buttons", async () => {
    const response = await request("/practice/linux", { headers: { cookie: cookies.browser } });
    expect(response.status).toBe(200);
    const page = await response.text();
    expect(page).toContain(html(linuxQuestions[0]!.prompt));
    expect(page).not.toContain(html(linuxQuestions[1]!.prompt));
    expect(page).toMatch(/<details[^>]*>\s*<summary[^>]*>.*Show model answer/s);
    expect(page).toContain("strace -f");
    for (const [label, interval] of [
      ["Again", "1 min"],
      ["Hard", "6 min"],
      ["Good", "10 min"],
      ["Easy", "4 days"],
    ] as const) {
      expect(page).toMatch(new RegExp(`value="${label.toLowerCase()}"[^>]*>.*?${label}.*?${interval}`, "s"));
    }
    expect(page).toContain('name="expected" value="new"');
    expect(page).toContain("8 new questions to go");

    expect((await request("/practice/no-such-topic", { headers: { cookie: cookies.browser } })).status).toBe(404);
    const admin = await request("/practice/linux", { headers: { cookie: cookies.teacher } });
    expect(await admin.text()).toContain(html(linuxQuestions[0]!.prompt));
  });

  it("records a rating from the page, shows the next card, and ignores the same form sent twice", async () => {
    const browser = await actor(users.browser);
    const form = { questionId: String(linuxQuestions[0]!.id), rating: "good", expected: "new" };
    const first = await post("/practice/linux", form, { cookie: cookies.browser });
    expect(first.status).toBe(200);
    const page = await first.text();
    expect(page).toContain("Rated Good: you&#x27;ll see that question again in 10 min.");
    expect(page).toContain(html(linuxQuestions[1]!.prompt));
    expect(page).toContain("7 new questions to go");

    const again = await post("/practice/linux", form, { cookie: cookies.browser });
    expect(again.status).toBe(409);
    expect(await again.text()).toContain("already rated");
    expect(await cardOf(browser, linuxQuestions[0]!.id)).toMatchObject({ repetitions: 1, interval_minutes: 10 });
    expect(await cardCount(browser)).toBe(1);
  });

  it("answers a bad rating or an unknown question with a clear 400 and changes nothing", async () => {
    const browser = await actor(users.browser);
    const before = await cardOf(browser, linuxQuestions[0]!.id);
    const cases: Array<[Record<string, string>, string]> = [
      [
        { questionId: String(linuxQuestions[1]!.id), rating: "perfect", expected: "new" },
        "Choose one of Again, Hard, Good or Easy.",
      ],
      [{ questionId: "99999", rating: "good", expected: "new" }, "That question is not in the bank."],
      [{ questionId: "abc", rating: "good", expected: "new" }, "That question is not in the bank."],
      [
        { questionId: String(linuxQuestions[1]!.id), rating: "good", expected: "yesterday" },
        "This page is out of date",
      ],
    ];
    for (const [form, message] of cases) {
      const response = await post("/practice/linux", form, { cookie: cookies.browser });
      expect(response.status, JSON.stringify(form)).toBe(400);
      expect(await response.text()).toContain(message);
    }
    expect(await cardCount(browser)).toBe(1);
    expect(await cardOf(browser, linuxQuestions[0]!.id)).toEqual(before);
  });

  it("shows the caught-up state with when the next card is due", async () => {
    const db = testDatabase();
    const second = await actor(users.second);
    const now = new Date();
    for (;;) {
      const next = await nextCard(db, second, "networking", now);
      if (next.status !== "card") break;
      await recordReview(db, second, next.card.questionId, "easy", next.card.expected, now);
    }
    const response = await request("/practice/networking", { headers: { cookie: cookies.second } });
    const page = await response.text();
    expect(page).toContain("All caught up in Networking");
    expect(page).toContain("The next one is due in 4 days");
    expect(page).toContain('href="/practice"');
  });
});
