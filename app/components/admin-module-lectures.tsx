import { Link } from "@remix-run/react";
import { ContentStatusBadge } from "~/components/admin-content-fields";
import { ReorderButtons } from "~/components/admin-reorder";
import { EmptyState } from "~/components/empty-state";
import { formatDuration } from "~/lib/format";
import { DataTable } from "~/components/data-table";

export type AdminLectureRow = {
  id: number;
  slug: string;
  title: string;
  published: boolean;
  freePreview: boolean;
  durationMinutes: number;
  position: number;
};

/** A module's lectures in order, each with its status and "move up/down" buttons. */
export function AdminModuleLectures({ lectures, moduleId }: { lectures: AdminLectureRow[]; moduleId: number }) {
  if (lectures.length === 0) {
    return (
      <EmptyState title="No lectures yet">
        <Link to={`/admin/modules/${moduleId}/lectures/new`} className="text-accent-strong underline">
          Write the first lecture
        </Link>{" "}
        of this module.
      </EmptyState>
    );
  }
  return (
    <DataTable headings={["#", "Lecture", "Length", "Status", "Order"]} caption="Lectures of this module in order">
      {lectures.map((lecture, index) => (
        <tr key={lecture.id}>
          <td className="px-4 py-3 text-muted tabular-nums">{lecture.position}</td>
          <th scope="row" className="px-4 py-3 font-medium">
            <Link to={`/admin/lectures/${lecture.id}`} className="text-accent-strong hover:underline">
              {lecture.title}
            </Link>
            <span className="block text-xs font-normal text-muted">
              {lecture.slug}
              {lecture.freePreview ? " · free preview" : ""}
            </span>
          </th>
          <td className="px-4 py-3 whitespace-nowrap">{formatDuration(lecture.durationMinutes)}</td>
          <td className="px-4 py-3">
            <ContentStatusBadge published={lecture.published} />
          </td>
          <td className="px-4 py-3">
            <ReorderButtons
              intent="move-lecture"
              id={lecture.id}
              title={lecture.title}
              isFirst={index === 0}
              isLast={index === lectures.length - 1}
            />
          </td>
        </tr>
      ))}
    </DataTable>
  );
}

export type DeletionCounts = {
  progress: number;
  notes: number;
  posts: number;
  views: number;
  files: number;
  quizAttempts?: number;
  submissions?: number;
  overrides?: number;
};

/** "3 progress records, 1 note and 2 discussion posts": what a deletion takes along, in words. */
export function describeRecords(counts: DeletionCounts): string {
  const parts = [
    [counts.progress, "progress record"],
    [counts.notes, "private note"],
    [counts.posts, "discussion post"],
    [counts.views, "lecture view"],
    [counts.quizAttempts ?? 0, "quiz attempt"],
    [counts.submissions ?? 0, "project submission"],
    [counts.overrides ?? 0, "early release"],
  ] as const;
  const named = parts
    .filter(([count]) => count > 0)
    .map(([count, noun]) => `${count} ${noun}${count === 1 ? "" : "s"}`);
  if (named.length === 0) return "no student records";
  return named.length === 1 ? named[0]! : `${named.slice(0, -1).join(", ")} and ${named.at(-1)}`;
}
