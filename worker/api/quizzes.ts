import { Hono, type Context } from "hono";
import * as z from "zod";
import { slugSchema } from "../../db/content/slug.ts";
import type { OpeningData } from "../../db/queries/access.ts";
import {
  getOwnAttempt,
  getQuizForViewer,
  notReleasedMessage,
  quizAnswersSchema,
  QuizSubmissionError,
  submitAttempt,
  type QuizForViewer,
} from "../../db/queries/quizzes.ts";
import { requireUser } from "../middleware/auth.ts";
import type { AppEnv } from "../types.ts";
import { ApiError, issuesFromZod } from "./errors.ts";
import { validate } from "./validate.ts";

// Module quizzes, mounted under /api/modules next to modulesApi. Auth is applied per
// route (not with .use()), so the public module routes that share the prefix stay public.

const PRIVATE = { "cache-control": "private, no-store", vary: "cookie" };

const moduleParam = z.object({ module: slugSchema });
const attemptParam = z.object({ module: slugSchema, attemptId: z.string().min(1).max(64) });
const submission = z.object({ answers: quizAnswersSchema }).strict();

const noQuiz = (module: string) => new ApiError("NOT_FOUND", `Module "${module}" has no quiz.`);
/** Refuses a locked quiz: not released yet for the student's cohort, or no enrolment. */
const locked = (moduleTitle: string, opening: OpeningData | null) =>
  opening
    ? new ApiError("NOT_RELEASED", notReleasedMessage(moduleTitle, opening))
    : new ApiError("ENROLLMENT_REQUIRED", `The quiz of "${moduleTitle}" is open to enrolled students.`);

/** What clients get to know about a quiz (its row id stays internal). */
function publicQuiz({ title, passPercent, questionCount, moduleSlug, moduleTitle }: QuizForViewer["quiz"]) {
  return { title, passPercent, questionCount, moduleSlug, moduleTitle };
}

async function signedInUser(c: Context<AppEnv>) {
  return (await c.var.services.auth.getSession())!.user;
}

/**
 * The submission body, parsed here rather than by the json validator: a missing or
 * malformed body must be a 400 in our error shape, and Hono's own parse error is not one.
 */
async function readSubmission(c: Context<AppEnv>) {
  let body: unknown;
  try {
    body = JSON.parse(await c.req.text());
  } catch {
    throw new ApiError(
      "BAD_REQUEST",
      'Send a JSON body: { "answers": { "<questionId>": "<optionId>" | ["<optionId>", …] | "<text>" } }.',
      {
        issues: [{ path: "(root)", message: "The body is missing or is not JSON." }],
      },
    );
  }
  const parsed = submission.safeParse(body);
  if (!parsed.success) {
    throw new ApiError("BAD_REQUEST", "Invalid answers: check the listed fields.", {
      issues: issuesFromZod(parsed.error),
    });
  }
  return parsed.data.answers;
}

export const quizzesApi = new Hono<AppEnv>()
  .get("/:module/quiz", requireUser, validate("param", moduleParam), async (c) => {
    const { module } = c.req.valid("param");
    const found = await getQuizForViewer(c.var.services.db, module, await signedInUser(c));
    if (!found) throw noQuiz(module);
    if (found.locked) throw locked(found.quiz.moduleTitle, found.opening);
    return c.json({ quiz: publicQuiz(found.quiz), questions: found.questions }, 200, PRIVATE);
  })
  .get("/:module/quiz/attempts", requireUser, validate("param", moduleParam), async (c) => {
    const { module } = c.req.valid("param");
    const found = await getQuizForViewer(c.var.services.db, module, await signedInUser(c));
    if (!found) throw noQuiz(module);
    return c.json({ quiz: publicQuiz(found.quiz), attempts: found.attempts }, 200, PRIVATE);
  })
  .post("/:module/quiz/attempts", requireUser, validate("param", moduleParam), async (c) => {
    const { module } = c.req.valid("param");
    const answers = await readSubmission(c);
    try {
      const attempt = await submitAttempt(c.var.services.db, await signedInUser(c), module, answers);
      return c.json({ attempt }, 201, PRIVATE);
    } catch (error) {
      if (!(error instanceof QuizSubmissionError)) throw error;
      if (error.reason === "not_found") throw noQuiz(module);
      if (error.reason === "locked") throw new ApiError("ENROLLMENT_REQUIRED", error.message);
      if (error.reason === "not_released") throw new ApiError("NOT_RELEASED", error.message);
      throw new ApiError("BAD_REQUEST", error.message, {
        issues: error.issues.map(({ path, message }) => ({ path, message })),
      });
    }
  })
  .get("/:module/quiz/attempts/:attemptId", requireUser, validate("param", attemptParam), async (c) => {
    const { module, attemptId } = c.req.valid("param");
    const found = await getOwnAttempt(c.var.services.db, await signedInUser(c), module, attemptId);
    if (!found) throw new ApiError("NOT_FOUND", `You have no attempt "${attemptId}" at the quiz of "${module}".`);
    if (found.locked) throw locked(found.attempt.moduleTitle, found.opening);
    return c.json({ attempt: { ...found.attempt, feedback: found.feedback } }, 200, PRIVATE);
  });
