import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/cloudflare";
import { Links, Meta, Outlet, Scripts, ScrollRestoration, useRouteLoaderData } from "@remix-run/react";
import type { ReactNode } from "react";
import { headerCounts } from "../db/queries/header.ts";
import { ErrorPage } from "~/components/error-page";
import { LiveToasts, useLiveUpdates } from "~/components/live-updates";
import { SiteFooter } from "~/components/site-footer";
import { SiteHeader } from "~/components/site-header";
import { useOptimisticTheme } from "~/components/theme-toggle";
import { useNonce } from "~/lib/nonce";
import { pageMeta } from "~/lib/site";
import { getOptionalUser } from "~/lib/auth.server";
import { themeFromCookieHeader } from "~/lib/theme";
import stylesheet from "~/styles/app.css?url";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: stylesheet },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export const meta: MetaFunction = () => pageMeta(null);

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await getOptionalUser(context);
  return {
    theme: themeFromCookieHeader(request.headers.get("cookie")),
    // Only what the navigation shows.
    user: user ? { name: user.name, email: user.email, isAdmin: user.role === "admin" } : null,
    // The header's unread badges, current on every page load with or without WebSocket.
    counts: user ? await headerCounts(context.services.db, user) : null,
  };
}

export function Layout({ children }: { children: ReactNode }) {
  const data = useRouteLoaderData<typeof loader>("root");
  const theme = useOptimisticTheme() ?? data?.theme ?? "system";
  const nonce = useNonce();
  const live = useLiveUpdates({
    enabled: Boolean(data?.user),
    unread: data?.counts?.announcements.unread ?? 0,
    latestId: data?.counts?.announcements.latestId ?? 0,
  });

  return (
    <html lang="en" data-theme={theme}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="theme-color" content="#0e7490" />
        <Meta />
        <Links />
      </head>
      <body className="flex min-h-dvh flex-col bg-canvas font-sans text-ink antialiased">
        <a
          href="#main"
          className="sr-only z-50 rounded-md bg-accent px-4 py-2 text-on-accent focus:not-sr-only focus:fixed focus:top-3 focus:left-3"
        >
          Skip to content
        </a>
        <SiteHeader
          theme={theme}
          user={data?.user ? { ...data.user, unreadNotifications: data.counts?.unreadNotifications ?? 0 } : null}
          unreadAnnouncements={live.unread}
        />
        <main id="main" className="flex-1">
          {children}
        </main>
        <SiteFooter />
        {data?.user ? <LiveToasts toasts={live.toasts} onDismiss={live.dismiss} /> : null}
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
