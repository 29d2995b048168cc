import { Link } from "@remix-run/react";
import { site } from "~/lib/site";

export function SiteFooter() {
  return (
    <footer className="border-t border-line bg-surface print:hidden">
      <div className="mx-auto flex max-w-7xl flex-col gap-6 px-4 py-10 text-sm text-muted sm:flex-row sm:items-start sm:justify-between sm:px-6">
        <div className="max-w-sm">
          <p className="font-semibold text-ink">{site.name}</p>
          <p className="mt-2">{site.tagline}</p>
        </div>
        <nav aria-label="Footer" className="flex gap-10">
          <ul className="space-y-2">
            <li>
              <Link className="hover:text-ink" to="/modules">
                Curriculum
              </Link>
            </li>
            <li>
              <Link className="hover:text-ink" to="/projects">
                Hands-on projects
              </Link>
            </li>
            <li>
              <Link className="hover:text-ink" to="/search">
                Search lectures
              </Link>
            </li>
          </ul>
        </nav>
        <p>
          © {new Date().getFullYear()} {site.name}
        </p>
      </div>
    </footer>
  );
}
