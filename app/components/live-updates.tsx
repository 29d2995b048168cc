import { Link, useLocation, useRevalidator } from "@remix-run/react";
import { useCallback, useEffect, useRef, useState } from "react";
import type { DiscussionMessage, parseServerMessage } from "../../worker/live/messages.ts";
import { type CatchUp, catchUpGate } from "../lib/live-catch-up.ts";

// Live updates: one plain WebSocket to /api/live per signed-in tab, carrying announcements,
// the cohort clock's schedule events and new discussion posts. The server renders every
// page current, so without JavaScript (or WebSocket) a page load shows the same thing.

const ANNOUNCEMENTS_PATH = "/announcements";
const TOAST_MS = 8000;
const HEARTBEAT_MS = 25_000;
/** A window event the socket raises for each new discussion post; pages that show that thread listen. */
const DISCUSSION_EVENT = "live:discussion";

export type LiveToast = { key: number; title: string; detail?: string };

/** Exponential backoff with jitter: a ceiling of 1 s doubling up to 30 s, waiting between half of it and all of it. */
function reconnectDelay(attempt: number): number {
  const ceiling = Math.min(30_000, 1000 * 2 ** attempt);
  return ceiling / 2 + Math.random() * (ceiling / 2);
}

type Announcement = { id: number; title: string };

/**
 * Connects while `enabled`, keeps the unread count (starting from the server's), and
 * returns toasts for announcements that arrive. On every (re)connect it fetches what it
 * missed after the last id it saw.
 */
export function useLiveUpdates({ enabled, unread, latestId }: { enabled: boolean; unread: number; latestId: number }) {
  const [count, setCount] = useState(unread);
  const [serverUnread, setServerUnread] = useState(unread);
  const [toasts, setToasts] = useState<LiveToast[]>([]);
  const lastSeen = useRef(latestId);
  const location = useLocation();
  const revalidator = useRevalidator();
  const onAnnouncementsPage = location.pathname === ANNOUNCEMENTS_PATH;

  // A fresh server count (any navigation that reloads root data) wins over what we counted,
  // and the announcements page marks everything read (adjusted during render, as React advises).
  if (serverUnread !== unread) {
    setServerUnread(unread);
    setCount(unread);
  }
  if (onAnnouncementsPage && count !== 0) setCount(0);
  if (onAnnouncementsPage && toasts.length > 0) setToasts([]);

  // Read from socket callbacks, which outlive renders.
  const page = useRef({ onAnnouncementsPage, revalidate: revalidator.revalidate });
  useEffect(() => {
    page.current = { onAnnouncementsPage, revalidate: revalidator.revalidate };
    lastSeen.current = Math.max(lastSeen.current, latestId);
  });

  const dismiss = useCallback((key: number) => setToasts((all) => all.filter((toast) => toast.key !== key)), []);
  const toast = useCallback(
    (title: string, detail?: string) => {
      const key = Date.now() + Math.random();
      setToasts((all) => [...all.slice(-2), { key, title, detail }]);
      setTimeout(() => dismiss(key), TOAST_MS);
    },
    [dismiss],
  );

  useEffect(() => {
    if (!enabled || typeof WebSocket === "undefined") return;
    let socket: WebSocket | null = null;
    let attempt = 0;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;

    /** `fresh`: only what is newer than `lastSeen`, oldest first (the gate sees to it). */
    const arrived = (fresh: Announcement[], unreadNow?: number) => {
      if (fresh.length === 0) return;
      const newest = fresh[fresh.length - 1]!;
      lastSeen.current = newest.id;
      if (page.current.onAnnouncementsPage) {
        page.current.revalidate();
        return;
      }
      setCount((current) => unreadNow ?? current + fresh.length);
      toast(newest.title, fresh.length > 1 ? `and ${fresh.length - 1} more new announcements` : undefined);
    };

    const catchUp = async (): Promise<CatchUp<Announcement> | null> => {
      const response = await fetch(`/api/announcements?after=${lastSeen.current}`, { credentials: "same-origin" });
      return response.ok ? ((await response.json()) as CatchUp<Announcement>) : null;
    };

    const connect = (parse: typeof parseServerMessage) => {
      const url = new URL("/api/live", window.location.href);
      url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
      const ws = new WebSocket(url);
      socket = ws;
      const gate = catchUpGate(() => lastSeen.current, arrived);
      const heartbeat = setInterval(() => {
        if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ type: "ping" }));
      }, HEARTBEAT_MS);
      ws.addEventListener("open", () => {
        attempt = 0;
        ws.send(JSON.stringify({ type: "hello", lastSeenId: lastSeen.current }));
        catchUp()
          .catch(() => null)
          .then(gate.caughtUp);
      });
      ws.addEventListener("message", (event) => {
        const message = parse(event.data);
        if (message?.type === "announcement") gate.pushed(message);
        // A module released or the cohort changed phase: reload this page's data, so a
        // module unlocks and the dashboard moves on without a reload.
        else if (message?.type === "schedule") page.current.revalidate();
        else if (message?.type === "discussion") {
          window.dispatchEvent(new CustomEvent<DiscussionMessage>(DISCUSSION_EVENT, { detail: message }));
        }
      });
      ws.addEventListener("close", () => {
        clearInterval(heartbeat);
        if (stopped) return;
        retry = setTimeout(() => connect(parse), reconnectDelay(attempt++));
      });
    };

    // The message validator (zod) is fetched only here, for signed-in tabs, so visitors'
    // pages do not carry it. Without it there is no socket: page loads stay current anyway.
    import("../../worker/live/messages.ts").then(
      ({ parseServerMessage }) => {
        if (!stopped) connect(parseServerMessage);
      },
      () => undefined,
    );
    return () => {
      stopped = true;
      clearTimeout(retry);
      socket?.close(1000, "Leaving");
    };
  }, [enabled, toast]);

  return { unread: onAnnouncementsPage ? 0 : count, toasts, dismiss };
}

/** Reloads the page's data when someone posts in the discussion of `lectureId`, so new posts appear live. */
export function useLiveDiscussion(lectureId: number) {
  const { revalidate } = useRevalidator();
  const latest = useRef({ lectureId, revalidate });
  useEffect(() => {
    latest.current = { lectureId, revalidate };
  });
  useEffect(() => {
    const onPost = (event: Event) => {
      const { detail } = event as CustomEvent<DiscussionMessage>;
      if (detail.lectureId === latest.current.lectureId) latest.current.revalidate();
    };
    window.addEventListener(DISCUSSION_EVENT, onPost);
    return () => window.removeEventListener(DISCUSSION_EVENT, onPost);
  }, []);
}

/** Where new announcements pop up; announced politely to screen readers. */
export function LiveToasts({ toasts, onDismiss }: { toasts: LiveToast[]; onDismiss: (key: number) => void }) {
  return (
    <div
      role="status"
      aria-live="polite"
      className="pointer-events-none fixed inset-x-4 bottom-4 z-40 flex flex-col items-end gap-2 sm:left-auto sm:w-96 print:hidden"
    >
      {toasts.map((item) => (
        <div
          key={item.key}
          className="pointer-events-auto flex w-full items-start gap-3 rounded-xl border border-line bg-surface p-4 shadow-xl"
        >
          <div className="min-w-0 flex-1">
            <p className="text-xs font-medium tracking-wide text-muted uppercase">New announcement</p>
            <p className="mt-1 font-semibold break-words">{item.title}</p>
            {item.detail ? <p className="mt-0.5 text-sm text-muted">{item.detail}</p> : null}
            <Link
              to={ANNOUNCEMENTS_PATH}
              onClick={() => onDismiss(item.key)}
              className="mt-2 inline-block text-sm font-medium text-accent-strong underline"
            >
              Read announcements
            </Link>
          </div>
          <button
            type="button"
            onClick={() => onDismiss(item.key)}
            className="grid size-8 shrink-0 place-items-center rounded-md text-muted hover:bg-surface-2 hover:text-ink"
          >
            <span aria-hidden="true">×</span>
            <span className="sr-only">Dismiss</span>
          </button>
        </div>
      ))}
    </div>
  );
}

/** The header's link to announcements, with the unread count as a badge. */
export function AnnouncementsLink({ unread }: { unread: number }) {
  const label = unread > 0 ? `Announcements, ${unread} unread` : "Announcements";
  return (
    <Link
      to={ANNOUNCEMENTS_PATH}
      aria-label={label}
      title={label}
      className="relative grid size-10 place-items-center rounded-lg border border-line text-muted hover:text-ink"
    >
      <svg
        viewBox="0 0 24 24"
        width="1em"
        height="1em"
        fill="none"
        stroke="currentColor"
        strokeWidth={2}
        strokeLinecap="round"
        strokeLinejoin="round"
        aria-hidden="true"
        focusable="false"
        className="size-5"
      >
        <path d="M6 8a6 6 0 1 1 12 0c0 7 3 9 3 9H3s3-2 3-9" />
        <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" />
      </svg>
      {unread > 0 ? (
        <span
          aria-hidden="true"
          data-unread={unread}
          className="absolute -top-1.5 -right-1.5 min-w-5 rounded-full bg-accent px-1 text-center text-xs leading-5 font-semibold text-on-accent"
        >
          {unread > 99 ? "99+" : unread}
        </span>
      ) : null}
    </Link>
  );
}
