import { FEED_FETCH_TIMEOUT_MS, FEED_MAX_BYTES, megabytes } from "./limits.ts";
import { ImportError } from "./types.ts";

// Fetching a feed by its address: http(s) only, public hosts only, a time limit and a size
// limit that hold while the body streams in. Tests pass a fake `fetchFn` instead of the network.

export type FetchFn = (input: Request) => Promise<Response>;

export type FetchedFeed = { bytes: Uint8Array; name: string };

export async function fetchFeed(address: string, fetchFn: FetchFn = (input) => fetch(input)): Promise<FetchedFeed> {
  const url = feedUrl(address);
  const signal = AbortSignal.timeout(FEED_FETCH_TIMEOUT_MS);
  let response: Response;
  try {
    response = await fetchFn(
      new Request(url, {
        headers: { accept: "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9" },
        redirect: "follow",
        signal,
      }),
    );
  } catch (error) {
    throw new ImportError(signal.aborted ? timeoutMessage() : `${url.host} could not be reached (${describe(error)}).`);
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new ImportError(`${url.host} answered ${response.status} ${response.statusText}`.trim() + ".");
  }
  const type = (response.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (type && !/xml|^text\/plain$|^application\/octet-stream$/.test(type)) {
    await response.body?.cancel();
    throw new ImportError(
      type === "text/html"
        ? "That address is a web page, not a feed: use the address of its RSS or Atom feed."
        : `That address sends ${type}, not an RSS or Atom feed.`,
    );
  }
  if (Number(response.headers.get("content-length") ?? 0) > FEED_MAX_BYTES) {
    await response.body?.cancel();
    throw new ImportError(`The feed is larger than ${megabytes(FEED_MAX_BYTES)}.`);
  }
  return { bytes: await readCapped(response, signal), name: `${url.host}${url.pathname}` };
}

/** An address worth fetching: http(s), and not this machine or a private network. */
function feedUrl(address: string): URL {
  let url: URL;
  try {
    url = new URL(address.trim());
  } catch {
    throw new ImportError("Enter the feed's full address, starting with https://.");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new ImportError("Feed addresses start with https:// or http://.");
  }
  if (url.username || url.password) throw new ImportError("Feed addresses cannot carry a user name or password.");
  if (isPrivateHost(url.hostname)) throw new ImportError("Feeds are fetched from public addresses only.");
  return url;
}

function isPrivateHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[|\]$/g, "");
  if (host === "localhost" || host.endsWith(".localhost") || host.endsWith(".local") || host.endsWith(".internal")) {
    return true;
  }
  if (host.includes(":"))
    return host === "::1" || host === "::" || /^(fc|fd|fe80)/.test(host) || host.startsWith("::ffff:");
  const octets = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(host)?.slice(1).map(Number);
  if (!octets) return false;
  const [a, b] = octets as [number, number];
  return (
    a === 0 ||
    a === 10 ||
    a === 127 ||
    (a === 169 && b === 254) ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168)
  );
}

async function readCapped(response: Response, signal: AbortSignal): Promise<Uint8Array> {
  if (!response.body) return new Uint8Array();
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > FEED_MAX_BYTES) {
        await reader.cancel();
        throw new ImportError(`The feed is larger than ${megabytes(FEED_MAX_BYTES)}.`);
      }
      chunks.push(value);
    }
  } catch (error) {
    if (error instanceof ImportError) throw error;
    throw new ImportError(signal.aborted ? timeoutMessage() : `The feed stopped arriving (${describe(error)}).`);
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return bytes;
}

const timeoutMessage = () => `The feed did not arrive within ${FEED_FETCH_TIMEOUT_MS / 1000} seconds.`;

const describe = (error: unknown) => (error instanceof Error ? error.message : String(error));
