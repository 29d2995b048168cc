// Discussion limits and links, without the queries: safe to import from browser code.

export const DISCUSSION_BODY_MAX = 5_000;
export const DISCUSSION_REASON_MAX = 500;
export const DISCUSSION_PAGE_SIZE = 20;
/** Authors may edit or delete their own post this long after posting. */
export const DISCUSSION_EDIT_WINDOW_SECONDS = 15 * 60;
export const DISCUSSION_SORTS = ["newest", "top"] as const;
export type DiscussionSort = (typeof DISCUSSION_SORTS)[number];

/** Where a post lives: the lecture's discussion page, scrolled to the post. */
export function discussionPostUrl(moduleSlug: string, lectureSlug: string, postId: number): string {
  return `/modules/${moduleSlug}/${lectureSlug}/discussion#post-${postId}`;
}
