import { and, eq, gt, sql } from "drizzle-orm";
import * as z from "zod";
import { renderMarkdown } from "../../worker/markdown/render.ts";
import type { Database } from "../client.ts";
import { splitFrontMatter } from "../content/front-matter.ts";
import type { QuizOption } from "../queries/quizzes.ts";
import { quizQuestions, quizzes, type QuestionKind } from "../schema.ts";
import type { ContentFile } from "./curriculum.ts";

// Reads `NN-<module>/_quiz.md` files (format in db/seed/content/FORMAT.md) and writes
// them to D1. Parsing is strict: a quiz that would grade wrongly must fail the seed with
// a message naming the file and the question, not reach students.

export type ParsedQuestion = {
  position: number;
  kind: QuestionKind;
  promptHtml: string;
  options: QuizOption[];
  /** Correct option ids, or the accepted short answers as written. */
  answerKey: string[];
  explanationHtml: string;
};

export type ParsedQuiz = {
  moduleSlug: string;
  title: string;
  passPercent: number;
  questions: ParsedQuestion[];
};

const QUIZ_FILE = /^(\d{2})-([a-z0-9]+(?:-[a-z0-9]+)*)\/_quiz\.md$/;
const QUESTION_HEADING = /^## (?!#)(.*)$/;
const OPTION_LINE = /^- \[([ xX])\]\s+(\S.*)$/;
const OPTION_IDS = "abcdefgh";

const frontMatter = z
  .object({
    title: z
      .string({ error: "front matter needs a title" })
      .min(3, "title must be at least 3 characters")
      .max(120, "title must be at most 120 characters"),
    pass: z
      .string({ error: "front matter needs a pass mark (pass: 70)" })
      .regex(/^\d+$/, "pass must be a whole number of percent, like 70")
      .transform(Number)
      .pipe(z.number().int().min(1, "pass must be at least 1").max(100, "pass must be at most 100")),
  })
  .strict();

const option = z.object({ text: z.string().max(300, "an option is at most 300 characters"), correct: z.boolean() });
const prompt = z.string().min(3, "the question is empty").max(300, "the question is at most 300 characters");
const explanation = z.string().min(1, "every question needs an explanation after its options or answer");

function optionRules(min: number, max: number, label: string) {
  return (options: Array<z.infer<typeof option>>, ctx: z.RefinementCtx) => {
    if (options.length < min || options.length > max) {
      ctx.addIssue({ code: "custom", message: `${label} needs ${min} to ${max} options, found ${options.length}` });
    }
    const texts = options.map((item) => item.text.trim().toLowerCase());
    if (new Set(texts).size !== texts.length) ctx.addIssue({ code: "custom", message: "two options are the same" });
  };
}

const question = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("single"),
    prompt,
    explanation,
    options: z
      .array(option)
      .superRefine(optionRules(3, 5, "single choice"))
      .superRefine((options, ctx) => {
        const marked = options.filter((item) => item.correct).length;
        if (marked !== 1) {
          ctx.addIssue({
            code: "custom",
            message: `single choice needs exactly one [x], found ${marked} (for several correct options, add "select: all")`,
          });
        }
      }),
  }),
  z.object({
    kind: z.literal("multiple"),
    prompt,
    explanation,
    options: z
      .array(option)
      .superRefine(optionRules(3, 6, "multiple choice"))
      .refine((options) => options.some((item) => item.correct), "multiple choice needs at least one [x]"),
  }),
  z.object({
    kind: z.literal("short"),
    prompt,
    explanation,
    answers: z
      .array(z.string().min(1, "an accepted answer is empty (check the | separators)").max(100))
      .min(1, "answer: lists no accepted answers"),
  }),
]);

type RawQuestion = z.input<typeof question>;

/** Renders inline markdown (a prompt, an option) without the paragraph around it. */
function renderInline(markdown: string): string {
  const html = renderMarkdown(markdown).html.trim();
  const inline = /^<p>([\s\S]*)<\/p>$/.exec(html);
  if (!inline || inline[1]!.includes("<p>")) throw new Error(`must be inline markdown (one line of text): ${markdown}`);
  return inline[1]!;
}

/** Splits the body into question blocks at `## ` headings, ignoring headings inside code fences. */
function splitQuestions(body: string) {
  const blocks: Array<{ heading: string; lines: string[] }> = [];
  const preamble: string[] = [];
  let fence: string | null = null;
  for (const line of body.replace(/\r\n?/g, "\n").split("\n")) {
    const marker = /^\s*(`{3,}|~{3,})/.exec(line)?.[1];
    if (marker && fence === null) fence = marker;
    else if (marker && line.trim().startsWith(fence!) && line.trim().replace(/[`~]/g, "") === "") fence = null;
    const heading = fence === null ? QUESTION_HEADING.exec(line) : null;
    if (heading) blocks.push({ heading: heading[1]!.trim(), lines: [] });
    else (blocks.at(-1)?.lines ?? preamble).push(line);
  }
  return { blocks, preamble: preamble.join("\n").trim() };
}

/** Reads one question block into the raw shape the zod schema checks. */
function readQuestion(heading: string, lines: string[]): RawQuestion | string {
  let index = 0;
  const skipBlank = () => {
    while (index < lines.length && lines[index]!.trim() === "") index++;
  };
  const readOptions = () => {
    const options: Array<{ text: string; correct: boolean }> = [];
    for (skipBlank(); index < lines.length; skipBlank()) {
      const match = OPTION_LINE.exec(lines[index]!.trim());
      if (!match) break;
      options.push({ text: match[2]!.trim(), correct: match[1] !== " " });
      index++;
    }
    return options;
  };
  const rest = () => lines.slice(index).join("\n").trim();

  skipBlank();
  const first = lines[index]?.trim() ?? "";
  let raw: RawQuestion;
  if (/^select:/i.test(first)) {
    if (first !== "select: all") return `write "select: all" for multiple choice, not "${first}"`;
    index++;
    raw = { kind: "multiple", prompt: heading, options: readOptions(), explanation: "" };
  } else if (/^answer:/i.test(first)) {
    index++;
    const answers = first.slice("answer:".length).split("|");
    raw = { kind: "short", prompt: heading, answers: answers.map((answer) => answer.trim()), explanation: "" };
  } else if (OPTION_LINE.test(first)) {
    raw = { kind: "single", prompt: heading, options: readOptions(), explanation: "" };
  } else {
    return first === ""
      ? "has nothing after the question: add options, `select: all` with options, or `answer:`"
      : `expected options ("- [ ] text" / "- [x] text"), "select: all" or "answer:" right after the question, found "${first}"`;
  }
  const explanationText = rest();
  const stray = /^(select:|answer:|[-*] \[)/i.exec(explanationText);
  if (stray) {
    return `the explanation starts with "${stray[1]}": a question has one kind, with its options or answer first`;
  }
  return { ...raw, explanation: explanationText };
}

function describeQuestion(position: number, heading: string) {
  const short = heading.length > 60 ? `${heading.slice(0, 57)}…` : heading;
  return `question ${position} ("${short}")`;
}

function parseQuizFile(file: ContentFile, moduleSlug: string): ParsedQuiz {
  const problems: string[] = [];
  const { fields, body } = splitFrontMatter(file.source);
  const header = frontMatter.safeParse(fields);
  if (!header.success) {
    for (const issue of header.error.issues) {
      problems.push(issue.code === "unrecognized_keys" ? `front matter: ${issue.message}` : issue.message);
    }
  }

  const { blocks, preamble } = splitQuestions(body);
  if (preamble !== "")
    problems.push(`text before the first question ("${preamble.split("\n")[0]}"): every question starts with "## "`);
  if (blocks.length < 5 || blocks.length > 8) problems.push(`a quiz has 5 to 8 questions, found ${blocks.length}`);

  const questions: ParsedQuestion[] = [];
  blocks.forEach((block, index) => {
    const position = index + 1;
    const where = describeQuestion(position, block.heading);
    const raw = readQuestion(block.heading, block.lines);
    if (typeof raw === "string") return void problems.push(`${where}: ${raw}`);
    const checked = question.safeParse(raw);
    if (!checked.success) {
      for (const issue of checked.error.issues) problems.push(`${where}: ${issue.message}`);
      return;
    }
    try {
      questions.push(toParsedQuestion(checked.data, position));
    } catch (error) {
      problems.push(`${where}: ${(error as Error).message}`);
    }
  });

  if (problems.length > 0 || !header.success) {
    throw new Error(`${file.path}: invalid quiz\n  - ${problems.join("\n  - ")}`);
  }
  return { moduleSlug, title: header.data.title, passPercent: header.data.pass, questions };
}

function toParsedQuestion(checked: z.output<typeof question>, position: number): ParsedQuestion {
  const base = {
    position,
    kind: checked.kind,
    promptHtml: renderInline(checked.prompt),
    explanationHtml: renderMarkdown(checked.explanation).html,
  };
  if (checked.kind === "short") {
    const unique = [...new Map(checked.answers.map((answer) => [answer.toLowerCase(), answer])).values()];
    return { ...base, options: [], answerKey: unique };
  }
  const options = checked.options.map((item, index) => ({ id: OPTION_IDS[index]!, html: renderInline(item.text) }));
  const answerKey = checked.options.flatMap((item, index) => (item.correct ? [OPTION_IDS[index]!] : []));
  return { ...base, options, answerKey };
}

/**
 * Every `_quiz.md` among the content files, in module order. Throws one error per
 * invalid file listing each problem with its question; a quiz in a folder without a
 * `_module.md` is refused too.
 */
export function parseQuizzes(files: ContentFile[]): ParsedQuiz[] {
  const moduleFolders = new Set(
    files.flatMap((file) => (file.path.endsWith("/_module.md") ? [file.path.split("/")[0]] : [])),
  );
  return files
    .flatMap((file) => {
      const match = QUIZ_FILE.exec(file.path);
      if (!match) return [];
      if (!moduleFolders.has(`${match[1]}-${match[2]}`)) throw new Error(`${file.path}: its folder has no _module.md`);
      return [{ position: Number(match[1]), quiz: parseQuizFile(file, match[2]!) }];
    })
    .sort((a, b) => a.position - b.position)
    .map((entry) => entry.quiz);
}

const fromExcluded = (column: string) => sql.raw(`excluded.${column}`);
const quizIdOf = (moduleSlug: string) =>
  sql`(select quizzes.id from quizzes join modules on modules.id = quizzes.module_id where modules.slug = ${moduleSlug})`;

/**
 * Writes the quizzes in one atomic D1 batch, idempotently: a quiz is upserted by its
 * module, questions by (quiz, position), and questions past a quiz's new length are
 * deleted. Question ids stay stable across runs; attempts keep their own copy of the
 * feedback, so editing a quiz never rewrites history.
 */
export async function upsertQuizzes(db: Database, parsed: ParsedQuiz[]) {
  const statements = [];
  for (const quiz of parsed) {
    statements.push(
      db
        .insert(quizzes)
        .values({
          moduleId: sql`(select id from modules where slug = ${quiz.moduleSlug})`,
          title: quiz.title,
          passPercent: quiz.passPercent,
        })
        .onConflictDoUpdate({
          target: quizzes.moduleId,
          set: {
            title: fromExcluded("title"),
            passPercent: fromExcluded("pass_percent"),
            updatedAt: sql`(unixepoch())`,
          },
        }),
    );
    for (const item of quiz.questions) {
      statements.push(
        db
          .insert(quizQuestions)
          .values({
            quizId: quizIdOf(quiz.moduleSlug),
            position: item.position,
            kind: item.kind,
            promptHtml: item.promptHtml,
            optionsJson: JSON.stringify(item.options),
            answerKeyJson: JSON.stringify(item.answerKey),
            explanationHtml: item.explanationHtml,
          })
          .onConflictDoUpdate({
            target: [quizQuestions.quizId, quizQuestions.position],
            set: {
              kind: fromExcluded("kind"),
              promptHtml: fromExcluded("prompt_html"),
              optionsJson: fromExcluded("options_json"),
              answerKeyJson: fromExcluded("answer_key_json"),
              explanationHtml: fromExcluded("explanation_html"),
              updatedAt: sql`(unixepoch())`,
            },
          }),
      );
    }
    statements.push(
      db
        .delete(quizQuestions)
        .where(
          and(eq(quizQuestions.quizId, quizIdOf(quiz.moduleSlug)), gt(quizQuestions.position, quiz.questions.length)),
        ),
    );
  }
  const [first, ...rest] = statements;
  if (!first) return { quizzes: 0, questions: 0 };
  await db.batch([first, ...rest]);
  return { quizzes: parsed.length, questions: parsed.reduce((total, quiz) => total + quiz.questions.length, 0) };
}
