// Limits shared by the admin form (browser) and the queries; kept apart from the queries so
// the form does not pull the markdown pipeline into the browser bundle.
export const ANNOUNCEMENT_TITLE_MAX = 160;
export const ANNOUNCEMENT_BODY_MAX = 20_000;
