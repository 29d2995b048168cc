import { Link } from "@remix-run/react";
import type { CohortPhase } from "../../db/cohorts/release.ts";
import { CohortDate, CohortPhaseBadge } from "~/components/admin-cohort-date";
import { DataTable } from "~/components/data-table";

export type CohortRow = {
  slug: string;
  name: string;
  timezone: string;
  phase: CohortPhase;
  startsAt: string;
  endsAt: string;
  seatsTaken: number;
  capacity: number;
};

const HEADINGS = ["Cohort", "Phase", "Starts", "Ends", "Seats"];

/** Every cohort at a glance; scrolls sideways on narrow screens rather than squashing. */
export function AdminCohortTable({ cohorts }: { cohorts: CohortRow[] }) {
  return (
    <DataTable headings={HEADINGS}>
      {cohorts.map((cohort) => (
        <tr key={cohort.slug}>
          <th scope="row" className="px-4 py-3 font-medium">
            <Link to={`/admin/cohorts/${cohort.slug}`} className="text-accent-strong underline">
              {cohort.name}
            </Link>
            <span className="block text-xs font-normal text-muted">{cohort.timezone}</span>
          </th>
          <td className="px-4 py-3">
            <CohortPhaseBadge phase={cohort.phase} />
          </td>
          <td className="px-4 py-3">
            <CohortDate iso={cohort.startsAt} timeZone={cohort.timezone} />
          </td>
          <td className="px-4 py-3">
            <CohortDate iso={cohort.endsAt} timeZone={cohort.timezone} />
          </td>
          <td className="px-4 py-3 whitespace-nowrap">
            {cohort.seatsTaken} / {cohort.capacity}
          </td>
        </tr>
      ))}
    </DataTable>
  );
}
