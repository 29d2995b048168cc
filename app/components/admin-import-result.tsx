import { Link } from "@remix-run/react";
import { Alert } from "~/components/form";
import { DataTable } from "~/components/data-table";

// What the last import wrote, each lecture linked to its editor.

type ImportedLecture = { id: number; title: string; slug: string; published: boolean; moduleTitle: string };

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? "" : "s"}`;

export function ImportedLectures({
  created,
  updated,
  skipped,
}: {
  created: ImportedLecture[];
  updated: ImportedLecture[];
  skipped: number;
}) {
  const lectures = [
    ...created.map((lecture) => ({ ...lecture, change: "Created" })),
    ...updated.map((lecture) => ({ ...lecture, change: "Updated" })),
  ];
  return (
    <section aria-labelledby="import-result-heading" className="space-y-4">
      <Alert tone="success">
        {`Imported ${plural(lectures.length, "lecture")}: ${created.length} created, ${updated.length} updated` +
          (skipped > 0 ? `, ${skipped} skipped.` : ".")}
      </Alert>
      <h2 id="import-result-heading" className="text-xl font-semibold">
        Imported lectures
      </h2>
      {lectures.length > 0 ? (
        <DataTable headings={["Lecture", "Module", "Change", "Status"]}>
          {lectures.map((lecture) => (
            <tr key={lecture.id}>
              <th scope="row" className="px-4 py-3 font-medium">
                <Link to={`/admin/lectures/${lecture.id}`} className="text-accent-strong underline">
                  {lecture.title}
                </Link>
                <span className="block text-xs font-normal text-muted">{lecture.slug}</span>
              </th>
              <td className="px-4 py-3">{lecture.moduleTitle}</td>
              <td className="px-4 py-3">{lecture.change}</td>
              <td className="px-4 py-3">{lecture.published ? "Published" : "Draft"}</td>
            </tr>
          ))}
        </DataTable>
      ) : (
        <p className="text-sm text-muted">No lecture was written.</p>
      )}
    </section>
  );
}
