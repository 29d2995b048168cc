import type { Database } from "../client.ts";
import { parseCurriculum, upsertCurriculum, type ContentFile } from "./curriculum.ts";
import { parseInterviewBank, upsertInterviewBank } from "./interview.ts";
import { parseProjects, upsertProjects } from "./projects.ts";
import { parseQuizzes, upsertQuizzes } from "./quizzes.ts";

/**
 * Everything in db/seed/content: the curriculum, then what hangs off its modules (quizzes,
 * projects), and the interview question bank. Every file is parsed and validated before
 * anything is written, so a mistake in one file leaves the database as it was.
 */
export async function seedContent(db: Database, files: ContentFile[]) {
  const curriculum = parseCurriculum(files);
  const quizzes = parseQuizzes(files);
  const projects = parseProjects(files);
  const interview = parseInterviewBank(files);
  const counts = await upsertCurriculum(db, curriculum);
  await upsertQuizzes(db, quizzes);
  await upsertProjects(db, projects);
  await upsertInterviewBank(db, interview);
  return {
    ...counts,
    quizzes: quizzes.length,
    projects: projects.length,
    interviewQuestions: interview.reduce((total, topic) => total + topic.questions.length, 0),
  };
}
