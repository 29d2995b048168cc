import { sql } from "drizzle-orm";
import * as z from "zod";
import { renderMarkdown } from "../../worker/markdown/render.ts";
import type { Database } from "../client.ts";
import { splitFrontMatter } from "../content/front-matter.ts";
import { interviewQuestions, interviewTopics } from "../schema.ts";
import type { ContentFile } from "./curriculum.ts";

// The interview question bank: `interview/NN-<topic-slug>.md` under db/seed/content, one
// topic per file, in the format db/seed/content/FORMAT.md describes.

export const MIN_QUESTIONS = 6;
export const MAX_QUESTIONS = 10;

const BANK_FOLDER = "interview/";
const BANK_FILE = /^interview\/(\d{2})-([a-z0-9]+(?:-[a-z0-9]+)*)\.md$/;

const topicFields = z.strictObject({
  title: z.string().min(3, "at least 3 characters").max(120, "at most 120 characters"),
  summary: z.string().min(10, "at least 10 characters").max(160, "one sentence of at most 160 characters"),
});

const questionFields = z.object({
  prompt: z
    .string()
    .min(10, "the question is too short to be one an interviewer asks")
    .max(300, "keep the question to one or two sentences (at most 300 characters)")
    .regex(/[?.]$/, "the question must end with ? or .")
    .refine(
      (prompt) => !/[`*]|\]\(|<\/?[a-z]/i.test(prompt),
      "the question is plain text: no backticks, emphasis, links or HTML",
    ),
  answerMarkdown: z
    .string()
    .min(200, "the model answer is too short: give the key points, the depth behind them and a common mistake")
    .max(20_000, "the model answer is longer than 20,000 characters"),
});

export type InterviewBankQuestion = {
  position: number;
  prompt: string;
  answerMarkdown: string;
  /** Rendered and sanitised once, here, so pages only ever print stored HTML. */
  answerHtml: string;
};

export type InterviewBankTopic = {
  slug: string;
  position: number;
  title: string;
  summary: string;
  questions: InterviewBankQuestion[];
};

function problems(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join(".") || "value"}: ${issue.message}`).join("; ");
}

/**
 * Splits a topic body at its `## ` headings. Lines inside fenced code blocks never start a
 * question, so a `## comment` in a shell snippet stays part of its answer.
 */
function splitQuestions(body: string, path: string): Array<{ prompt: string; answer: string }> {
  const questions: Array<{ prompt: string; lines: string[] }> = [];
  const preamble: string[] = [];
  let fence: string | null = null;
  for (const line of body.split(/\r?\n/)) {
    const fenceMatch = /^\s*(`{3,}|~{3,})/.exec(line);
    if (fenceMatch) {
      const marker = fenceMatch[1]!;
      if (fence === null) fence = marker;
      else if (marker[0] === fence[0] && marker.length >= fence.length) fence = null;
    }
    const heading = fence === null && !fenceMatch ? /^##\s+(.*?)\s*#*\s*$/.exec(line) : null;
    if (heading) questions.push({ prompt: heading[1]!, lines: [] });
    else (questions.at(-1)?.lines ?? preamble).push(line);
  }
  if (fence !== null) throw new Error(`${path}: a code block opened with ${fence} is never closed`);
  if (preamble.join("").trim() !== "") {
    throw new Error(`${path}: text before the first question; every question starts with a "## " heading`);
  }
  return questions.map((question) => ({ prompt: question.prompt, answer: question.lines.join("\n").trim() }));
}

function parseTopicFile(file: ContentFile, match: RegExpExecArray): InterviewBankTopic {
  const { fields, body } = splitFrontMatter(file.source);
  const front = topicFields.safeParse(fields);
  if (!front.success) throw new Error(`${file.path}: invalid front matter (${problems(front.error)})`);

  const raw = splitQuestions(body, file.path);
  if (raw.length < MIN_QUESTIONS || raw.length > MAX_QUESTIONS) {
    throw new Error(
      `${file.path}: has ${raw.length} questions; a topic has ${MIN_QUESTIONS} to ${MAX_QUESTIONS}, each starting with a "## " heading`,
    );
  }

  const seen = new Set<string>();
  const questions = raw.map((question, index) => {
    const label = `${file.path}, question ${index + 1} ("${question.prompt.slice(0, 60)}")`;
    const parsed = questionFields.safeParse({ prompt: question.prompt, answerMarkdown: question.answer });
    if (!parsed.success) throw new Error(`${label}: ${problems(parsed.error)}`);
    const key = parsed.data.prompt.toLowerCase();
    if (seen.has(key)) throw new Error(`${label}: the same question appears twice in this topic`);
    seen.add(key);
    if (/^#\s/m.test(parsed.data.answerMarkdown.replace(/^(`{3,}|~{3,})[\s\S]*?^\1/gm, ""))) {
      throw new Error(`${label}: the model answer has a "# " heading; use "### " for sections inside an answer`);
    }
    return {
      position: index + 1,
      prompt: parsed.data.prompt,
      answerMarkdown: parsed.data.answerMarkdown,
      answerHtml: renderMarkdown(parsed.data.answerMarkdown).html,
    };
  });

  return { slug: match[2]!, position: Number(match[1]), ...front.data, questions };
}

/**
 * Reads and validates every `interview/*.md` file (other paths are ignored). Throws on the
 * first problem, naming the file and the question, so a broken bank never half-loads.
 */
export function parseInterviewBank(files: ContentFile[]): InterviewBankTopic[] {
  const topics: InterviewBankTopic[] = [];
  const bankFiles = files
    .filter((file) => file.path.startsWith(BANK_FOLDER) && file.path.endsWith(".md"))
    .sort((a, b) => a.path.localeCompare(b.path));
  for (const file of bankFiles) {
    const match = BANK_FILE.exec(file.path);
    if (!match) {
      throw new Error(`${file.path}: name bank files interview/NN-<topic-slug>.md, like interview/01-linux.md`);
    }
    const topic = parseTopicFile(file, match);
    const clash = topics.find((other) => other.slug === topic.slug || other.position === topic.position);
    if (clash) {
      throw new Error(
        `${file.path}: topic ${clash.slug === topic.slug ? "slug" : "number"} already used by another file`,
      );
    }
    topics.push(topic);
  }
  return topics;
}

const fromExcluded = (column: string) => sql.raw(`excluded.${column}`);
const topicIdOf = (slug: string) => sql`(select id from interview_topics where slug = ${slug})`;

/**
 * Writes the bank in one atomic D1 batch. Topics are upserted by slug and questions by
 * (topic, position), so ids (and the students' cards keyed on them) survive a re-seed;
 * questions beyond a topic's new count are deleted, with their cards. Idempotent.
 */
export async function upsertInterviewBank(db: Database, topics: InterviewBankTopic[]) {
  const statements = [];
  for (const topic of topics) {
    statements.push(
      db
        .insert(interviewTopics)
        .values({ slug: topic.slug, title: topic.title, summary: topic.summary, position: topic.position })
        .onConflictDoUpdate({
          target: interviewTopics.slug,
          set: {
            title: fromExcluded("title"),
            summary: fromExcluded("summary"),
            position: fromExcluded("position"),
            updatedAt: sql`(unixepoch())`,
          },
        }),
    );
    for (const question of topic.questions) {
      statements.push(
        db
          .insert(interviewQuestions)
          .values({
            topicId: topicIdOf(topic.slug),
            position: question.position,
            prompt: question.prompt,
            answerMarkdown: question.answerMarkdown,
            answerHtml: question.answerHtml,
          })
          .onConflictDoUpdate({
            target: [interviewQuestions.topicId, interviewQuestions.position],
            set: {
              prompt: fromExcluded("prompt"),
              answerMarkdown: fromExcluded("answer_markdown"),
              answerHtml: fromExcluded("answer_html"),
              updatedAt: sql`(unixepoch())`,
            },
          }),
      );
    }
    statements.push(
      db
        .delete(interviewQuestions)
        .where(
          sql`${interviewQuestions.topicId} = ${topicIdOf(topic.slug)} and ${interviewQuestions.position} > ${topic.questions.length}`,
        ),
    );
  }
  const [first, ...rest] = statements;
  if (!first) return { topics: 0, questions: 0 };
  await db.batch([first, ...rest]);
  return { topics: topics.length, questions: topics.reduce((total, topic) => total + topic.questions.length, 0) };
}
