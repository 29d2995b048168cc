import { CohortDate } from "~/components/admin-cohort-date";

export type ScheduledModule = { slug: string; title: string; day: number; opensAt: string; released: boolean };
export type EarlyRelease = { email: string; name: string; moduleTitle: string; releasedAt: string };

const CELL = "px-4 py-3";

/** Each published module and when it opens for this cohort, in the cohort's timezone. */
export function AdminCohortSchedule({ modules, timeZone }: { modules: ScheduledModule[]; timeZone: string }) {
  return (
    <div className="overflow-x-auto rounded-2xl border border-line bg-surface">
      <table className="w-full text-left text-sm">
        <thead className="border-b border-line text-muted">
          <tr>
            <th scope="col" className={`${CELL} font-medium`}>
              Module
            </th>
            <th scope="col" className={`${CELL} font-medium`}>
              Day
            </th>
            <th scope="col" className={`${CELL} font-medium`}>
              Opens ({timeZone})
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-line">
          {modules.map((module) => (
            <tr key={module.slug}>
              <th scope="row" className={`${CELL} font-medium`}>
                {module.title}
              </th>
              <td className={CELL}>{module.day}</td>
              <td className={CELL}>
                <CohortDate iso={module.opensAt} timeZone={timeZone} />
                {module.released ? <span className="ml-2 text-xs text-muted">open</span> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Modules opened early for single students of the cohort. */
export function AdminCohortEarlyReleases({ releases, timeZone }: { releases: EarlyRelease[]; timeZone: string }) {
  if (releases.length === 0) return null;
  return (
    <ul className="mt-4 divide-y divide-line rounded-2xl border border-line bg-surface text-sm">
      {releases.map((release) => (
        <li key={`${release.email}-${release.moduleTitle}`} className="flex flex-wrap justify-between gap-2 px-4 py-3">
          <span>
            <span className="font-medium">{release.moduleTitle}</span> for {release.name}{" "}
            <span className="text-muted">({release.email})</span>
          </span>
          <span className="text-muted">
            since <CohortDate iso={release.releasedAt} timeZone={timeZone} />
          </span>
        </li>
      ))}
    </ul>
  );
}
