import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { Outlet } from "@remix-run/react";
import { AdminNav } from "~/components/admin-nav";
import { ErrorPage } from "~/components/error-page";
import { requireAdmin } from "~/lib/auth.server";

// The admin's frame. Its own guard matters: without it a child's 404 would render
// inside this layout and show students the admin navigation.
export async function loader({ context }: LoaderFunctionArgs) {
  await requireAdmin(context);
  return null;
}

export default function AdminLayout() {
  return (
    <>
      <AdminNav />
      <Outlet />
    </>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
