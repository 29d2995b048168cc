import { data, type MetaFunction } from "@remix-run/cloudflare";
import { ErrorPage } from "~/components/error-page";
import { pageMeta } from "~/lib/site";

export const meta: MetaFunction = () => pageMeta("Page not found");

export async function loader() {
  throw data(null, { status: 404 });
}

export default function NotFound() {
  return <ErrorPage />;
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
