import { Form, Link, NavLink, useLocation } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { site } from "~/lib/site";
import type { Theme } from "~/lib/theme";
import { MenuIcon, SearchIcon, TerminalIcon } from "./icons";
import { AnnouncementsLink } from "./live-updates";
import { ThemeToggle } from "./theme-toggle";
import { UserMenu, type NavUser } from "./user-menu";

const NAV = [
  { to: "/modules", label: "Curriculum" },
  { to: "/projects", label: "Projects" },
  { to: "/search", label: "Search" },
  { to: "/join", label: "Join" },
];

function navClass({ isActive }: { isActive: boolean }) {
  return `rounded-md px-3 py-2 text-sm font-medium transition ${
    isActive ? "text-accent-strong" : "text-muted hover:text-ink"
  }`;
}

function HeaderSearch() {
  return (
    <Form method="get" action="/search" role="search" className="relative hidden lg:block">
      <label htmlFor="header-search" className="sr-only">
        Search lectures
      </label>
      <SearchIcon className="pointer-events-none absolute top-1/2 left-3 size-4 -translate-y-1/2 text-muted" />
      <input
        id="header-search"
        name="q"
        type="search"
        placeholder="Search lectures"
        className="w-56 rounded-full border border-line bg-surface py-1.5 pr-3 pl-9 text-sm placeholder:text-muted"
      />
    </Form>
  );
}

export function SiteHeader({
  theme,
  user,
  unreadAnnouncements = 0,
}: {
  theme: Theme;
  user: NavUser | null;
  unreadAnnouncements?: number;
}) {
  const location = useLocation();
  const menu = useRef<HTMLDetailsElement>(null);
  // The mobile menu is a <details>, so it works without JavaScript; close it after navigating.
  useEffect(() => {
    menu.current?.removeAttribute("open");
  }, [location.key]);

  return (
    <header className="sticky top-0 z-30 border-b border-line bg-canvas/90 backdrop-blur print:hidden">
      <div className="mx-auto flex h-16 max-w-7xl items-center gap-4 px-4 sm:px-6">
        <Link to="/" className="flex items-center gap-2 font-semibold tracking-tight">
          <span className="grid size-8 place-items-center rounded-lg bg-accent text-on-accent">
            <TerminalIcon className="size-5" />
          </span>
          <span>{site.name}</span>
        </Link>
        <nav aria-label="Main" className="ml-4 hidden items-center gap-1 md:flex">
          {NAV.map((item) => (
            <NavLink key={item.to} to={item.to} className={navClass}>
              {item.label}
            </NavLink>
          ))}
        </nav>
        <div className="ml-auto flex items-center gap-3">
          <HeaderSearch />
          <div className="hidden sm:block">
            <ThemeToggle theme={theme} />
          </div>
          {user ? <AnnouncementsLink unread={unreadAnnouncements} /> : null}
          <UserMenu user={user} />
          <details ref={menu} className="relative md:hidden">
            <summary className="grid size-10 cursor-pointer list-none place-items-center rounded-lg border border-line [&::-webkit-details-marker]:hidden">
              <MenuIcon className="size-5" />
              <span className="sr-only">Menu</span>
            </summary>
            <div className="absolute right-0 mt-2 w-64 rounded-xl border border-line bg-surface p-3 shadow-xl">
              <nav aria-label="Mobile" className="flex flex-col">
                {NAV.map((item) => (
                  <NavLink key={item.to} to={item.to} className={navClass}>
                    {item.label}
                  </NavLink>
                ))}
              </nav>
              <div className="mt-3 flex items-center justify-between border-t border-line px-3 pt-3">
                <span className="text-sm text-muted">Theme</span>
                <ThemeToggle theme={theme} />
              </div>
            </div>
          </details>
        </div>
      </div>
    </header>
  );
}
