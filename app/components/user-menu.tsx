import { Form, Link, useLocation } from "@remix-run/react";
import { useEffect, useRef } from "react";

export type NavUser = { name: string; email: string; isAdmin: boolean; unreadNotifications?: number };

const itemClass = "block rounded-md px-3 py-2 text-sm hover:bg-surface-2";

/** Log in / sign up for visitors; a menu with account, admin (admins only) and log out for members. */
export function UserMenu({ user }: { user: NavUser | null }) {
  const location = useLocation();
  const menu = useRef<HTMLDetailsElement>(null);
  useEffect(() => {
    menu.current?.removeAttribute("open");
  }, [location.key]);

  if (!user) {
    return (
      <div className="flex items-center gap-2">
        <Link
          to="/login"
          className="hidden rounded-lg px-3 py-2 text-sm font-medium text-muted hover:text-ink sm:block"
        >
          Log in
        </Link>
        <Link
          to="/register"
          className="rounded-lg bg-accent px-3 py-2 text-sm font-semibold text-on-accent hover:bg-accent-strong"
        >
          Sign up
        </Link>
      </div>
    );
  }

  const unread = user.unreadNotifications ?? 0;
  const initials = user.name
    .split(/\s+/)
    .map((part) => part[0])
    .join("")
    .slice(0, 2)
    .toUpperCase();
  return (
    <details ref={menu} className="relative">
      <summary className="relative grid size-10 cursor-pointer list-none place-items-center rounded-full bg-accent-soft text-sm font-semibold text-accent-strong [&::-webkit-details-marker]:hidden">
        <span aria-hidden="true">{initials}</span>
        <span className="sr-only">
          Account menu for {user.name}
          {unread > 0 ? `, ${unread} unread ${unread === 1 ? "notification" : "notifications"}` : ""}
        </span>
        {unread > 0 ? (
          <span
            aria-hidden="true"
            className="absolute -top-0.5 -right-0.5 size-3 rounded-full border-2 border-canvas bg-red-600"
          />
        ) : null}
      </summary>
      <div className="absolute right-0 mt-2 w-64 rounded-xl border border-line bg-surface p-2 shadow-xl">
        <div className="border-b border-line px-3 pt-1 pb-3">
          <p className="truncate text-sm font-semibold">{user.name}</p>
          <p className="truncate text-xs text-muted">{user.email}</p>
        </div>
        <nav aria-label="Account" className="py-1">
          <Link to="/dashboard" className={itemClass}>
            Dashboard
          </Link>
          <Link to="/notifications" className={`${itemClass} flex items-center justify-between`}>
            Notifications
            {unread > 0 ? (
              <span className="rounded-full bg-red-600 px-2 text-xs font-semibold text-white">{unread}</span>
            ) : null}
          </Link>
          <Link to="/practice" className={itemClass}>
            Interview practice
          </Link>
          <Link to="/notes" className={itemClass}>
            My notes
          </Link>
          <Link to="/billing" className={itemClass}>
            Billing
          </Link>
          <Link to="/account" className={itemClass}>
            Account settings
          </Link>
          {user.isAdmin ? (
            <>
              <Link to="/admin" className={itemClass}>
                Admin
              </Link>
              <Link to="/admin/projects" className={itemClass}>
                Project reviews
              </Link>
            </>
          ) : null}
        </nav>
        <Form method="post" action="/logout" className="border-t border-line pt-1">
          <button type="submit" className={`${itemClass} w-full text-left`}>
            Log out
          </button>
        </Form>
      </div>
    </details>
  );
}
