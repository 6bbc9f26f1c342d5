// The video job's page follows the job without reloading: it asks /video/<id>/status every
// few seconds, moves the progress steps, counts the elapsed time, and shows the video (or
// why it failed) at the end. Without this file the page's Refresh link does the same.
(function () {
  "use strict";

  const card = document.getElementById("video-job");
  if (!card || !window.fetch) {
    return;
  }
  const $ = (id) => document.getElementById(id);
  const steps = $("job-steps");
  const statusText = $("job-status");
  const elapsedText = $("job-elapsed");
  const pollMs = Number(card.dataset.pollMs) || 2000;
  const RETRY_NOTE = " (Could not check just now; trying again.)";
  let elapsed = Number(card.dataset.elapsed) || 0;
  let ticking = null;

  if (isFinished(card.dataset.status)) {
    return; // the page already shows the end of the job
  }
  $("job-refresh").hidden = true; // this script refreshes it
  ticking = window.setInterval(() => {
    elapsed += 1;
    elapsedText.textContent = duration(elapsed);
  }, 1000);
  window.setTimeout(poll, pollMs);

  async function poll() {
    let view = null;
    try {
      const response = await fetch(card.dataset.statusUrl, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
        cache: "no-store",
      });
      view = await response.json();
      if (!response.ok) {
        refused(response.status, view);
        return;
      }
    } catch (_error) {
      note(RETRY_NOTE); // the network or the server hiccuped: keep following
      window.setTimeout(poll, pollMs);
      return;
    }
    show(view);
    if (!isFinished(view.status)) {
      window.setTimeout(poll, pollMs);
    }
  }

  function show(view) {
    card.dataset.status = view.status;
    steps.dataset.status = view.status;
    statusText.textContent = view.status_text;
    elapsed = view.elapsed_s;
    elapsedText.textContent = duration(elapsed);
    if (!isFinished(view.status)) {
      return;
    }
    window.clearInterval(ticking);
    $("job-elapsed-label").textContent = "Took";
    if (view.status === "completed" && view.video_src) {
      const video = document.createElement("video");
      video.controls = true;
      video.preload = "metadata";
      video.src = view.video_src;
      video.dataset.testid = "video";
      $("job-video").replaceChildren(video);
      $("job-video").hidden = false;
    } else if (view.status === "failed") {
      $("job-step-finished").textContent = "Failed";
      $("job-error-reason").textContent = view.error_text || "";
      $("job-error").hidden = false;
    }
  }

  function refused(status, problem) {
    if (problem && problem.redirect) {
      window.location.assign(problem.redirect); // the session ended: sign in again
      return;
    }
    if (status === 404) {
      window.clearInterval(ticking);
      statusText.textContent = problem.message;
      return;
    }
    note(RETRY_NOTE);
    window.setTimeout(poll, pollMs * 2);
  }

  function note(text) {
    if (!statusText.textContent.endsWith(text)) {
      statusText.textContent += text;
    }
  }

  function isFinished(status) {
    return status === "completed" || status === "failed";
  }

  // As elapsed_text() in video/job.py: `42 s`, `3 min 05 s`, `1 h 02 min`.
  function duration(seconds) {
    const pad = (n) => String(n).padStart(2, "0");
    if (seconds < 60) {
      return `${seconds} s`;
    }
    const minutes = Math.floor(seconds / 60);
    if (minutes < 60) {
      return `${minutes} min ${pad(seconds % 60)} s`;
    }
    return `${Math.floor(minutes / 60)} h ${pad(minutes % 60)} min`;
  }
})();
