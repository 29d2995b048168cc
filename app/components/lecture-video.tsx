import { useRevalidator } from "@remix-run/react";
import { useEffect, useRef } from "react";

const SAVE_EVERY_SECONDS = 10;

/**
 * The lecture video. Resumes at the saved second; for signed-in students it saves the
 * position every ~10 s, on pause and when the page is left (sendBeacon survives the
 * unload), and marks the lecture complete when the video ends.
 */
export function LectureVideo({
  src,
  captions,
  lectureId,
  resumeAt,
  trackProgress,
}: {
  src: string;
  captions: string;
  lectureId: number;
  resumeAt: number;
  trackProgress: boolean;
}) {
  const video = useRef<HTMLVideoElement>(null);
  // Only the position at page load matters; later saves must not seek the player.
  const startAt = useRef(resumeAt);
  const revalidator = useRevalidator();
  const revalidate = useRef(revalidator.revalidate);
  useEffect(() => {
    revalidate.current = revalidator.revalidate;
  });

  useEffect(() => {
    const player = video.current;
    if (!player) return;
    const resume = () => {
      if (startAt.current > 0 && startAt.current < player.duration - 1) player.currentTime = startAt.current;
    };
    if (player.readyState >= HTMLMediaElement.HAVE_METADATA) resume();
    else player.addEventListener("loadedmetadata", resume, { once: true });
    if (!trackProgress) return () => player.removeEventListener("loadedmetadata", resume);

    const url = `/api/progress/${lectureId}/position`;
    let saved = startAt.current;
    const current = () => Math.floor(player.currentTime);
    const payload = () => JSON.stringify({ seconds: current() });
    const save = () => {
      if (current() === saved) return;
      saved = current();
      void fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: payload(),
        keepalive: true,
      });
    };
    const beacon = () => {
      if (current() === saved) return;
      saved = current();
      navigator.sendBeacon(url, new Blob([payload()], { type: "application/json" }));
    };
    const onTimeUpdate = () => {
      if (Math.abs(player.currentTime - saved) >= SAVE_EVERY_SECONDS) save();
    };
    const onHidden = () => {
      if (document.visibilityState === "hidden") beacon();
    };
    const onEnded = () => {
      void fetch(`/api/progress/${lectureId}/complete`, { method: "POST" }).then(() => revalidate.current());
    };

    player.addEventListener("timeupdate", onTimeUpdate);
    player.addEventListener("pause", save);
    player.addEventListener("ended", onEnded);
    window.addEventListener("pagehide", beacon);
    document.addEventListener("visibilitychange", onHidden);
    return () => {
      // Leaving for another page inside the app also counts as leaving.
      beacon();
      player.removeEventListener("loadedmetadata", resume);
      player.removeEventListener("timeupdate", onTimeUpdate);
      player.removeEventListener("pause", save);
      player.removeEventListener("ended", onEnded);
      window.removeEventListener("pagehide", beacon);
      document.removeEventListener("visibilitychange", onHidden);
    };
  }, [lectureId, trackProgress]);

  return (
    <video
      ref={video}
      controls
      preload="metadata"
      src={src}
      className="mt-8 aspect-video w-full max-w-3xl rounded-xl bg-black"
      aria-label="Lecture video"
    >
      <track kind="captions" src={captions} srcLang="en" label="English" default />
    </video>
  );
}
