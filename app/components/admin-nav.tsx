import { NavLink } from "@remix-run/react";

/** Every admin area, in the order staff reach for them. */
export const ADMIN_SECTIONS = [
  { to: "/admin", label: "Overview", end: true },
  { to: "/admin/modules", label: "Content", end: false },
  { to: "/admin/import", label: "Import", end: false },
  { to: "/admin/cohorts", label: "Cohorts", end: false },
  { to: "/admin/students", label: "Students", end: false },
  { to: "/admin/payments", label: "Payments", end: false },
  { to: "/admin/coupons", label: "Coupons", end: false },
  { to: "/admin/projects", label: "Reviews", end: false },
  { to: "/admin/moderation", label: "Moderation", end: false },
  { to: "/admin/announcements", label: "Announcements", end: false },
  { to: "/admin/audit", label: "Audit log", end: false },
] as const;

export function AdminNav() {
  return (
    <nav aria-label="Admin" className="border-b border-line bg-surface">
      <ul className="mx-auto flex max-w-7xl gap-1 overflow-x-auto px-4 py-2 text-sm sm:px-6">
        {ADMIN_SECTIONS.map((section) => (
          <li key={section.to}>
            <NavLink
              to={section.to}
              end={section.end}
              prefetch="intent"
              className={({ isActive }) =>
                `block rounded-lg px-3 py-1.5 whitespace-nowrap ${
                  isActive ? "bg-surface-2 font-semibold text-ink" : "text-muted hover:bg-surface-2 hover:text-ink"
                }`
              }
            >
              {section.label}
            </NavLink>
          </li>
        ))}
      </ul>
    </nav>
  );
}
