import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { gradeQuiz, quizSummaryForDashboard, type GradableQuestion } from "../../db/queries/quizzes.ts";
import { parseQuizzes, upsertQuizzes, type ParsedQuiz } from "../../db/seed/quizzes.ts";
import { enrollStatement } from "../../db/seed/user-statements.ts";
import type { CurrentUser } from "../../worker/auth/context.ts";
import { createAccount, login, SAME_ORIGIN } from "./accounts.ts";
import { request, seedDemoCurriculum, seedFiles, testDatabase } from "./helpers.ts";

type QuestionView = {
  id: number;
  position: number;
  kind: string;
  promptHtml: string;
  options: Array<{ id: string; html: string }>;
};
type Feedback = { questionId: number; correct: boolean; given: string[]; expected: string[]; explanationHtml: string };
type AttemptBody = {
  attempt: {
    id: string;
    scorePercent: number;
    passed: boolean;
    correctCount: number;
    questionCount: number;
    feedback: Feedback[];
  };
};
type ErrorBody = { error: { code: string; message: string; issues?: Array<{ path: string; message: string }> } };

const EMAILS = {
  student: "quiz.taker@example.com",
  other: "quiz.neighbour@example.com",
  visitor: "quiz.visitor@example.com",
  admin: "quiz.admin@example.com",
};
const cookies = { student: "", other: "", visitor: "", admin: "" };
let parsed: ParsedQuiz[] = [];
const quizOf = (slug: string) => parsed.find((quiz) => quiz.moduleSlug === slug)!;

const api = (path: string, cookie?: string, init: RequestInit = {}) =>
  request(`/api/modules/${path}`, {
    ...init,
    headers: { ...SAME_ORIGIN, ...(cookie ? { cookie } : {}), ...init.headers },
  });

const postAnswers = (slug: string, cookie: string, body: unknown) =>
  api(`${slug}/quiz/attempts`, cookie, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });

async function questionsOf(slug: string, cookie = cookies.student): Promise<QuestionView[]> {
  const response = await api(`${slug}/quiz`, cookie);
  expect(response.status).toBe(200);
  return ((await response.json()) as { questions: QuestionView[] }).questions;
}

/** Answers from the seed key: all correct, or wrong for the positions listed. */
function answersFor(slug: string, questions: QuestionView[], wrongAt: number[] = []) {
  const answers: Record<string, string | string[]> = {};
  for (const question of questions) {
    const key = quizOf(slug).questions.find((item) => item.position === question.position)!;
    const wrong = wrongAt.includes(question.position);
    if (key.kind === "short") answers[question.id] = wrong ? "not the answer" : `  ${key.answerKey[0]!.toUpperCase()} `;
    else if (key.kind === "single") {
      answers[question.id] = wrong
        ? key.options.find((option) => !key.answerKey.includes(option.id))!.id
        : key.answerKey[0]!;
    } else {
      // Wrong: every option (or only the first, when every option is correct). Right: the key, reordered.
      const all = key.options.map((option) => option.id);
      const wrongSet = key.answerKey.length === all.length ? all.slice(0, 1) : all;
      answers[question.id] = wrong ? wrongSet : [...key.answerKey].reverse();
    }
  }
  return answers;
}

const attemptRows = (email: string) =>
  env.DB.prepare("select count(*) as n from quiz_attempts a join users u on u.id = a.user_id where u.email = ?")
    .bind(email)
    .first<number>("n");

async function actor(email: string): Promise<CurrentUser> {
  const row = await env.DB.prepare("select id, name, email, role from users where email = ?")
    .bind(email)
    .first<{ id: string; name: string; email: string; role: "student" | "admin" }>();
  return { ...row!, emailVerified: true };
}

/** Page HTML as text assertions need it: without React's text separators and class names. */
const pageText = async (response: Response) =>
  (await response.text()).replaceAll("<!-- -->", "").replace(/ class="[^"]*"/g, "");

/** Texts that would give answers away: explanations and distinctive short answers not already in the quiz. */
function keyTexts(quiz: ParsedQuiz): string[] {
  const shown = quiz.questions
    .flatMap((question) => [question.promptHtml, ...question.options.map((option) => option.html)])
    .join("\n")
    .toLowerCase();
  const answers = quiz.questions
    .filter((question) => question.kind === "short")
    .flatMap((question) => question.answerKey)
    .filter((answer) => answer.length >= 4 && !shown.includes(answer.toLowerCase()));
  return [...answers, ...quiz.questions.map((question) => question.explanationHtml)];
}

describe("quiz content", () => {
  it("parses every seed quiz, one per module folder that has a _quiz.md", () => {
    const files = seedFiles();
    const quizzes = parseQuizzes(files);
    const folders = files
      .filter((file) => file.path.endsWith("/_quiz.md"))
      .map((file) => file.path.split("/")[0]!)
      .sort();
    expect(quizzes.map((quiz) => quiz.moduleSlug)).toEqual(folders.map((folder) => folder.slice(3)));
    for (const quiz of quizzes) {
      expect(quiz.questions.length, quiz.moduleSlug).toBeGreaterThanOrEqual(5);
      expect(quiz.questions.length, quiz.moduleSlug).toBeLessThanOrEqual(8);
      for (const question of quiz.questions) {
        expect(question.explanationHtml, `${quiz.moduleSlug} ${question.position}`).toMatch(/^<p>/);
        expect(question.promptHtml).not.toMatch(/^<p>/);
        expect(question.answerKey.length).toBeGreaterThan(0);
      }
    }
    for (const slug of ["linux", "networking", "aws", "terraform"]) {
      const quiz = quizzes.find((item) => item.moduleSlug === slug)!;
      expect(quiz.passPercent).toBe(70);
      expect(quiz.questions.length).toBeGreaterThanOrEqual(6);
      expect(new Set(quiz.questions.map((question) => question.kind))).toEqual(
        new Set(["single", "multiple", "short"]),
      );
    }
  });

  it("gives options short stable ids and renders prompts and options inline", () => {
    const question = parseQuizzes(seedFiles()).find((quiz) => quiz.moduleSlug === "linux")!.questions[0]!;
    expect(question.options.map((option) => option.id)).toEqual(["a", "b", "c", "d"]);
    expect(question.promptHtml).toContain("<code>chmod 750 deploy.sh</code>");
    expect(question.answerKey).toEqual(["b"]);
  });

  const MODULE = { path: "01-linux/_module.md", source: "---\ntitle: Linux\nsummary: A module.\n---\n" };
  const filler = (count: number) =>
    Array.from({ length: count }, (_, i) => `## Filler question ${i + 1}?\n\nanswer: yes\n\nBecause.\n`).join("\n");
  const quizFile = (questions: string, front = "title: A quiz\npass: 70") => [
    MODULE,
    { path: "01-linux/_quiz.md", source: `---\n${front}\n---\n\n${questions}\n${filler(4)}` },
  ];
  const SINGLE_TWO_MARKS = "## Which one?\n\n- [x] one\n- [x] two\n- [ ] three\n\nExplained.\n";

  it.each([
    [
      "two [x] on a single choice question",
      SINGLE_TWO_MARKS,
      'question 1 ("Which one?"): single choice needs exactly one [x], found 2',
    ],
    [
      "no [x] at all",
      "## Which one?\n\n- [ ] one\n- [ ] two\n- [ ] three\n\nExplained.\n",
      "single choice needs exactly one [x], found 0",
    ],
    [
      "no explanation",
      "## Which one?\n\n- [x] one\n- [ ] two\n- [ ] three\n",
      'question 1 ("Which one?"): every question needs an explanation',
    ],
    [
      "multiple choice without [x]",
      "## Which ones?\n\nselect: all\n- [ ] a\n- [ ] b\n- [ ] c\n\nWhy.\n",
      "multiple choice needs at least one [x]",
    ],
    [
      "too few options",
      "## Which one?\n\n- [x] one\n- [ ] two\n\nWhy.\n",
      "single choice needs 3 to 5 options, found 2",
    ],
    [
      "a misspelt select line",
      "## Which ones?\n\nselect: many\n- [x] a\n- [ ] b\n- [ ] c\n\nWhy.\n",
      'write "select: all"',
    ],
    ["an empty answer line", "## What?\n\nanswer: pwd | \n\nWhy.\n", "an accepted answer is empty"],
    [
      "text instead of options",
      "## What?\n\nPick the best one.\n\n- [x] a\n- [ ] b\n- [ ] c\n",
      'expected options ("- [ ] text" / "- [x] text")',
    ],
    [
      "two kinds in one question",
      "## What?\n\n- [x] a\n- [ ] b\n- [ ] c\nanswer: a\n\nWhy.\n",
      'the explanation starts with "answer:"',
    ],
    [
      "the same option twice",
      "## Which one?\n\n- [x] same\n- [ ] Same\n- [ ] other\n\nWhy.\n",
      "two options are the same",
    ],
    ["a prompt that is not inline", "## - a list, not a question\n\nanswer: x\n\nWhy.\n", "must be inline markdown"],
  ])("rejects %s, naming the file and the question", (_case, question, message) => {
    expect(() => parseQuizzes(quizFile(question))).toThrow(message);
    expect(() => parseQuizzes(quizFile(question))).toThrow("01-linux/_quiz.md: invalid quiz");
  });

  it("rejects bad front matter, too few questions and quizzes outside a module folder", () => {
    const ok = "## Which one?\n\n- [x] one\n- [ ] two\n- [ ] three\n\nExplained.\n";
    expect(() => parseQuizzes(quizFile(ok, "title: A quiz\npass: 170"))).toThrow("pass must be at most 100");
    expect(() => parseQuizzes(quizFile(ok, "title: A quiz\npass: seventy"))).toThrow("pass must be a whole number");
    expect(() => parseQuizzes(quizFile(ok, "title: A quiz"))).toThrow("front matter needs a pass mark");
    expect(() => parseQuizzes(quizFile(ok, "title: A quiz\npass: 70\nsummary: no"))).toThrow(
      'Unrecognized key: "summary"',
    );
    expect(() =>
      parseQuizzes([MODULE, { path: "01-linux/_quiz.md", source: `---\ntitle: Short\npass: 70\n---\n\n${filler(3)}` }]),
    ).toThrow("a quiz has 5 to 8 questions, found 3");
    expect(() => parseQuizzes(quizFile(ok).slice(1))).toThrow("01-linux/_quiz.md: its folder has no _module.md");
  });

  it("ignores ## lines inside code blocks of an explanation", () => {
    const fenced = "## Which one?\n\n- [x] one\n- [ ] two\n- [ ] three\n\n```bash\n## not a question\necho hi\n```\n";
    const [quiz] = parseQuizzes(quizFile(fenced));
    expect(quiz!.questions).toHaveLength(5);
    expect(quiz!.questions[0]!.explanationHtml).toContain("## not a question");
  });
});

describe("grading", () => {
  const question = (id: number, kind: GradableQuestion["kind"], answerKey: string[]): GradableQuestion => ({
    id,
    position: id,
    kind,
    promptHtml: `Question ${id}`,
    options: kind === "short" ? [] : ["a", "b", "c", "d"].map((option) => ({ id: option, html: option })),
    answerKey,
    explanationHtml: "<p>Because.</p>",
  });
  const questions = [
    question(1, "single", ["b"]),
    question(2, "multiple", ["a", "c"]),
    question(3, "short", ["set -o pipefail", "pipefail"]),
  ];

  it("compares short answers ignoring case, surrounding and repeated spaces", () => {
    const graded = gradeQuiz(questions, { 3: "  SET   -o\tPipefail " }, 70);
    expect(graded.feedback[2]!.correct).toBe(true);
    expect(gradeQuiz(questions, { 3: "set -opipefail" }, 70).feedback[2]!.correct).toBe(false);
    expect(gradeQuiz(questions, { 3: "   " }, 70).feedback[2]!.correct).toBe(false);
  });

  it("marks multiple choice correct only for exactly the key set, in any order", () => {
    const grade = (answer: string[]) => gradeQuiz(questions, { 2: answer }, 70).feedback[1]!.correct;
    expect(grade(["c", "a"])).toBe(true);
    expect(grade(["a"])).toBe(false);
    expect(grade(["a", "b", "c"])).toBe(false);
    expect(grade([])).toBe(false);
  });

  it("scores rounded down and passes at the pass mark, never below it", () => {
    const all = { 1: "b", 2: ["a", "c"], 3: "pipefail" };
    expect(gradeQuiz(questions, all, 100)).toMatchObject({ correctCount: 3, scorePercent: 100, passed: true });
    const two = { ...all, 1: "a" };
    expect(gradeQuiz(questions, two, 66)).toMatchObject({ correctCount: 2, scorePercent: 66, passed: true });
    expect(gradeQuiz(questions, two, 67)).toMatchObject({ scorePercent: 66, passed: false });
    expect(gradeQuiz(questions, {}, 1)).toMatchObject({ correctCount: 0, scorePercent: 0, passed: false });
  });
});

describe("quizzes through the API and the pages", () => {
  beforeAll(async () => {
    await seedDemoCurriculum();
    parsed = parseQuizzes(seedFiles());
    await upsertQuizzes(testDatabase(), parsed);
    // A published module without a quiz.
    await env.DB.prepare(
      "insert into modules (slug, title, summary, position, published) values ('quizless', 'Quizless', 'No quiz here.', 99, 1)",
    ).run();
    await createAccount(EMAILS.student, "answers every question");
    await createAccount(EMAILS.other, "sits next to the taker");
    await createAccount(EMAILS.visitor, "not enrolled at all");
    await createAccount(EMAILS.admin, "checks the quizzes", "admin");
    await env.DB.prepare(enrollStatement(EMAILS.student, "quiz-enr-1")).run();
    await env.DB.prepare(enrollStatement(EMAILS.other, "quiz-enr-2")).run();
    cookies.student = await login(EMAILS.student, "answers every question");
    cookies.other = await login(EMAILS.other, "sits next to the taker");
    cookies.visitor = await login(EMAILS.visitor, "not enrolled at all");
    cookies.admin = await login(EMAILS.admin, "checks the quizzes");
  });

  it("upserts idempotently: same question ids on a re-run, extra questions removed when a quiz shrinks", async () => {
    const ids = async () =>
      (
        await env.DB.prepare(
          "select q.id from quiz_questions q join quizzes z on z.id = q.quiz_id join modules m on m.id = z.module_id where m.slug = 'linux' order by q.position",
        ).all<{ id: number }>()
      ).results.map((row) => row.id);
    const before = await ids();
    await upsertQuizzes(testDatabase(), parsed);
    expect(await ids()).toEqual(before);

    const linux = quizOf("linux");
    await upsertQuizzes(testDatabase(), [{ ...linux, title: "Shorter", questions: linux.questions.slice(0, 5) }]);
    expect(await ids()).toEqual(before.slice(0, 5));
    await upsertQuizzes(testDatabase(), parsed);
    const after = await ids();
    expect(after.slice(0, 5)).toEqual(before.slice(0, 5));
    expect(after).toHaveLength(linux.questions.length);
    expect(await env.DB.prepare("select count(*) as n from quizzes").first<number>("n")).toBe(parsed.length);
  });

  it("serves the questions without any trace of the answer key", async () => {
    for (const quiz of parsed) {
      const response = await api(`${quiz.moduleSlug}/quiz`, cookies.student);
      expect(response.status).toBe(200);
      expect(response.headers.get("cache-control")).toContain("no-store");
      const raw = await response.text();
      const keys = ["answer_key", '"answerKey"', '"expected"', '"explanationHtml"', '"correct"'];
      for (const forbidden of [...keys, ...keyTexts(quiz)]) {
        expect(raw, `${quiz.moduleSlug}: ${forbidden}`).not.toContain(forbidden);
      }
      const body = JSON.parse(raw) as { quiz: { title: string; passPercent: number }; questions: QuestionView[] };
      expect(body.quiz).toMatchObject({ title: quiz.title, passPercent: quiz.passPercent });
      expect(body.questions).toHaveLength(quiz.questions.length);
      for (const question of body.questions) {
        expect(Object.keys(question).sort()).toEqual(["id", "kind", "options", "position", "promptHtml"]);
        for (const option of question.options) expect(Object.keys(option).sort()).toEqual(["html", "id"]);
      }
    }
  });

  it("renders the quiz page as one accessible form, without the key in the HTML", async () => {
    const response = await request("/modules/linux/quiz", { headers: { cookie: cookies.student } });
    expect(response.status).toBe(200);
    const html = await pageText(response);
    expect(html.match(/<fieldset/g)).toHaveLength(quizOf("linux").questions.length);
    expect(html.match(/<legend/g)).toHaveLength(quizOf("linux").questions.length);
    expect(html).toContain('type="radio"');
    expect(html).toContain('type="checkbox"');
    expect(html).toContain('type="text"');
    expect(html).toContain("pass mark 70%");
    expect(html).toContain("8 questions");
    for (const forbidden of ["answer_key", "answerKey", "explanationHtml", ...keyTexts(quizOf("linux"))]) {
      expect(html, forbidden).not.toContain(forbidden);
    }
  });

  it("sends visitors to log in and shows students without enrolment a locked quiz", async () => {
    const anonymous = await request("/modules/linux/quiz");
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("location")).toBe("/login?redirectTo=%2Fmodules%2Flinux%2Fquiz");
    expect((await api("linux/quiz")).status).toBe(401);

    const page = await request("/modules/linux/quiz", { headers: { cookie: cookies.visitor } });
    expect(page.status).toBe(200);
    const html = await pageText(page);
    expect(html).toContain("This quiz is for enrolled students");
    expect(html).not.toContain("<fieldset");
    expect(html).not.toContain(quizOf("linux").questions[0]!.promptHtml);

    const refused = await api("linux/quiz", cookies.visitor);
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as ErrorBody).error.code).toBe("ENROLLMENT_REQUIRED");
    const submitted = await postAnswers("linux", cookies.visitor, { answers: { 1: "a" } });
    expect(submitted.status).toBe(403);
    expect(await attemptRows(EMAILS.visitor)).toBe(0);
  });

  it("answers 404 for unknown modules and modules without a quiz", async () => {
    for (const slug of ["no-such-module", "quizless"]) {
      expect((await api(`${slug}/quiz`, cookies.student)).status, slug).toBe(404);
      expect((await api(`${slug}/quiz/attempts`, cookies.student)).status, slug).toBe(404);
      expect((await postAnswers(slug, cookies.student, { answers: {} })).status, slug).toBe(404);
      expect((await request(`/modules/${slug}/quiz`, { headers: { cookie: cookies.student } })).status, slug).toBe(404);
    }
  });

  it("grades a submission on the server and returns feedback with the key and explanations", async () => {
    const questions = await questionsOf("linux");
    const response = await postAnswers("linux", cookies.student, { answers: answersFor("linux", questions) });
    expect(response.status).toBe(201);
    const { attempt } = (await response.json()) as AttemptBody;
    expect(attempt).toMatchObject({ scorePercent: 100, passed: true, correctCount: 8, questionCount: 8 });
    expect(attempt.feedback.every((item) => item.correct)).toBe(true);
    const first = attempt.feedback[0]!;
    expect(first.expected).toEqual(["b"]);
    expect(first.explanationHtml).toBe(quizOf("linux").questions[0]!.explanationHtml);
    expect(await attemptRows(EMAILS.student)).toBe(1);
  });

  it("applies the pass mark and keeps every retake in the history, newest first", async () => {
    const questions = await questionsOf("linux");
    // 8 questions, pass mark 70: 6 right is 75% (pass), 5 right is 62% (not yet).
    const failed = (await (
      await postAnswers("linux", cookies.student, { answers: answersFor("linux", questions, [1, 2, 3]) })
    ).json()) as AttemptBody;
    expect(failed.attempt).toMatchObject({ correctCount: 5, scorePercent: 62, passed: false });
    expect(failed.attempt.feedback.filter((item) => !item.correct).map((item) => item.questionId)).toEqual(
      questions.slice(0, 3).map((question) => question.id),
    );
    const passed = (await (
      await postAnswers("linux", cookies.student, { answers: answersFor("linux", questions, [4, 8]) })
    ).json()) as AttemptBody;
    expect(passed.attempt).toMatchObject({ correctCount: 6, scorePercent: 75, passed: true });

    const history = (await (await api("linux/quiz/attempts", cookies.student)).json()) as {
      attempts: Array<{ id: string; scorePercent: number; passed: boolean }>;
    };
    expect(history.attempts.map((attempt) => attempt.scorePercent)).toEqual([75, 62, 100]);
    expect(JSON.stringify(history)).not.toContain("explanation");

    const page = await pageText(await request("/modules/linux/quiz", { headers: { cookie: cookies.student } }));
    expect(page).toContain("Your attempts");
    for (const attempt of history.attempts) expect(page).toContain(`/modules/linux/quiz/attempts/${attempt.id}`);
    expect(page).toContain("Not passed");
  });

  it("refuses malformed answers with a 400 naming the question, and writes nothing", async () => {
    const questions = await questionsOf("linux");
    const good = answersFor("linux", questions);
    const single = questions.find((question) => question.kind === "single")!;
    const multiple = questions.find((question) => question.kind === "multiple")!;
    const before = await attemptRows(EMAILS.student);
    const cases: Array<[string, unknown, string]> = [
      ["an unknown question id", { answers: { ...good, 999999: "a" } }, "No question 999999"],
      [
        "an unknown option",
        { answers: { ...good, [single.id]: "z" } },
        `Question ${single.position}: "z" is not one of its options`,
      ],
      [
        "a string for multiple choice",
        { answers: { ...good, [multiple.id]: "a" } },
        `Question ${multiple.position}: multiple choice takes an array`,
      ],
      ["an array for single choice", { answers: { ...good, [single.id]: ["a"] } }, "single choice takes one option id"],
      [
        "a missing answer",
        { answers: Object.fromEntries(Object.entries(good).slice(1)) },
        `Question 1: choose one option`,
      ],
      ["no answers object", {}, "answers"],
      ["a missing body", "", "The body is missing or is not JSON"],
      ["a body that is not JSON", "answers=a", "The body is missing or is not JSON"],
    ];
    for (const [label, body, message] of cases) {
      const response = await postAnswers("linux", cookies.student, body);
      expect(response.status, label).toBe(400);
      const error = ((await response.json()) as ErrorBody).error;
      expect(error.code, label).toBe("BAD_REQUEST");
      const text = [error.message, ...(error.issues ?? []).map((issue) => `${issue.path} ${issue.message}`)].join("\n");
      expect(text, label).toContain(message);
      expect(error.issues?.length, label).toBeGreaterThan(0);
    }
    expect(await attemptRows(EMAILS.student)).toBe(before);
  });

  it("shows an attempt only to its owner: another student's id is a 404 in the API and on the page", async () => {
    const history = (await (await api("linux/quiz/attempts", cookies.student)).json()) as {
      attempts: Array<{ id: string }>;
    };
    const id = history.attempts[0]!.id;

    const own = await api(`linux/quiz/attempts/${id}`, cookies.student);
    expect(own.status).toBe(200);
    expect(((await own.json()) as AttemptBody).attempt.feedback).toHaveLength(8);

    expect((await api(`linux/quiz/attempts/${id}`, cookies.other)).status).toBe(404);
    expect((await api(`networking/quiz/attempts/${id}`, cookies.student)).status).toBe(404);
    expect((await request(`/modules/linux/quiz/attempts/${id}`, { headers: { cookie: cookies.other } })).status).toBe(
      404,
    );
    const neighbourHistory = (await (await api("linux/quiz/attempts", cookies.other)).json()) as {
      attempts: unknown[];
    };
    expect(neighbourHistory.attempts).toEqual([]);
    const anonymous = await request(`/modules/linux/quiz/attempts/${id}`);
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("location")).toMatch(/^\/login\?redirectTo=/);
  });

  it("renders an attempt's result: score, pass mark, each answer with the correct one and why", async () => {
    const history = (await (await api("linux/quiz/attempts", cookies.student)).json()) as {
      attempts: Array<{ id: string; scorePercent: number }>;
    };
    const failed = history.attempts.find((attempt) => attempt.scorePercent === 62)!;
    const response = await request(`/modules/linux/quiz/attempts/${failed.id}`, {
      headers: { cookie: cookies.student },
    });
    expect(response.status).toBe(200);
    const html = await pageText(response);
    expect(html).toContain("Not passed yet.");
    expect(html).toContain("5 of 8 answers correct");
    expect(html).toContain("Pass mark: 70%");
    expect(html).toContain('<progress value="62" max="100"');
    expect(html).toContain("Retake the quiz");
    expect(html).toContain("Back to module");
    expect(html.match(/>Incorrect</g)).toHaveLength(3);
    expect(html).toContain(quizOf("linux").questions[3]!.explanationHtml);
    expect(html).toContain("<code>/etc/shadow</code>");
  });

  it("takes the quiz through the plain form: incomplete input keeps every answer, a full one redirects to the result", async () => {
    const questions = await questionsOf("networking");
    const answers = answersFor("networking", questions);
    const form = (skip: number[]) => {
      const body = new URLSearchParams();
      for (const question of questions) {
        if (skip.includes(question.position)) continue;
        const answer = answers[question.id]!;
        if (question.kind === "multiple") for (const id of answer as string[]) body.append(`m-${question.id}`, id);
        else body.append(`q-${question.id}`, answer as string);
      }
      return request("/modules/networking/quiz", {
        method: "POST",
        headers: { ...SAME_ORIGIN, cookie: cookies.student },
        body,
      });
    };
    const before = await attemptRows(EMAILS.student);

    const incomplete = await form([1, 3]);
    expect(incomplete.status).toBe(400);
    const html = await pageText(incomplete);
    expect(html).toContain("2 questions need your attention");
    expect(html).toContain("Choose one option.");
    expect(html).toContain("Choose at least one option.");
    const short = questions.find((question) => question.kind === "short")!;
    expect(html).toContain(`value="${(answers[short.id] as string).replaceAll('"', "&quot;")}"`);
    const single = questions.find((question) => question.kind === "single" && question.position !== 1)!;
    const chosen = html
      .match(/<input [^>]*>/g)!
      .find((tag) => tag.includes(`name="q-${single.id}"`) && tag.includes(`value="${answers[single.id]}"`));
    expect(chosen).toContain('checked=""');
    expect(await attemptRows(EMAILS.student)).toBe(before);

    const complete = await form([]);
    expect(complete.status).toBe(302);
    expect(complete.headers.get("location")).toMatch(/^\/modules\/networking\/quiz\/attempts\/[0-9a-f]{32}$/);
    const result = await pageText(
      await request(complete.headers.get("location")!, { headers: { cookie: cookies.student } }),
    );
    expect(result).toContain("You passed.");
  });

  it("keeps a lapsed student's score but hides the feedback until they are enrolled again", async () => {
    await createAccount("quiz.lapsed@example.com", "enrolment has ended");
    await env.DB.prepare(enrollStatement("quiz.lapsed@example.com", "quiz-enr-lapsed")).run();
    const cookie = await login("quiz.lapsed@example.com", "enrolment has ended");
    const questions = await questionsOf("terraform", cookie);
    const submitted = (await (
      await postAnswers("terraform", cookie, { answers: answersFor("terraform", questions) })
    ).json()) as AttemptBody;
    await env.DB.prepare("update enrollments set status = 'refunded' where id = 'quiz-enr-lapsed'").run();

    const refused = await api(`terraform/quiz/attempts/${submitted.attempt.id}`, cookie);
    expect(refused.status).toBe(403);
    expect(await refused.text()).not.toContain("explanationHtml");
    const page = await pageText(
      await request(`/modules/terraform/quiz/attempts/${submitted.attempt.id}`, { headers: { cookie } }),
    );
    expect(page).toContain("You passed.");
    expect(page).toContain("Feedback is for enrolled students");
    expect(page).not.toContain(quizOf("terraform").questions[0]!.explanationHtml);
    const history = (await (await api("terraform/quiz/attempts", cookie)).json()) as { attempts: unknown[] };
    expect(history.attempts).toHaveLength(1);
  });

  it("lets admins take quizzes", async () => {
    const questions = await questionsOf("aws", cookies.admin);
    const response = await postAnswers("aws", cookies.admin, { answers: answersFor("aws", questions, [1]) });
    expect(response.status).toBe(201);
    expect(((await response.json()) as AttemptBody).attempt).toMatchObject({ passed: true });
    expect((await request("/modules/aws/quiz", { headers: { cookie: cookies.admin } })).status).toBe(200);
  });

  it("summarises every quiz for the dashboard in one batchable query", async () => {
    const db = testDatabase();
    const [rows] = await db.batch([quizSummaryForDashboard(db, await actor(EMAILS.student))]);
    expect(rows.map((row) => row.moduleSlug)).toEqual(parsed.map((quiz) => quiz.moduleSlug));
    const linux = rows.find((row) => row.moduleSlug === "linux")!;
    expect(linux).toMatchObject({
      moduleTitle: "Linux Foundations",
      quizTitle: quizOf("linux").title,
      passPercent: 70,
    });
    expect(linux).toMatchObject({ bestScore: 100, passed: true, attemptCount: 3 });
    expect(linux.lastAttemptAt).toBeInstanceOf(Date);
    const docker = rows.find((row) => row.moduleSlug === "docker")!;
    expect(docker).toMatchObject({ bestScore: null, passed: false, attemptCount: 0, lastAttemptAt: null });
  });
});
