// Limits of an import, without the import code: the admin page shows them as hints.

export const FEED_MAX_BYTES = 5 * 1024 * 1024;
export const FEED_MAX_ITEMS = 500;
/** The HTML of one feed item; bigger items are skipped, not fatal. */
export const FEED_ITEM_MAX_BYTES = 500 * 1024;

export const ZIP_MAX_BYTES = 10 * 1024 * 1024;
export const ZIP_MAX_ENTRIES = 500;
/** All files of a zip, inflated: a small archive that inflates past this is refused. */
export const ZIP_MAX_UNCOMPRESSED_BYTES = 20 * 1024 * 1024;
export const ZIP_FILE_MAX_BYTES = 500 * 1024;

/** Fetching a feed address: how long to wait for it. */
export const FEED_FETCH_TIMEOUT_MS = 10_000;

export const megabytes = (bytes: number) => `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;
export const kilobytes = (bytes: number) => `${Math.ceil(bytes / 1024)} KB`;
