// The text page, enhanced: the answer is streamed in as the model writes it.
// Without this file the form posts to /text and the whole answer comes back at once.
// Model text is only ever added as text (textContent / text nodes). The one HTML insert is
// `rendered_html` of the `done` event, which the server rendered and sanitised (render.py).
(function () {
  "use strict";

  const form = document.getElementById("text-form");
  if (!form || !window.fetch || !window.TextDecoder || !window.AbortController) {
    return;
  }
  const $ = (id) => document.getElementById(id);
  const answer = $("answer");
  const body = $("answer-body");
  const raw = $("answer-raw");
  const status = $("answer-status");
  const meta = $("answer-meta");
  const errorBox = $("form-error");
  const generate = $("generate-button");
  const stop = $("stop-button");
  const copy = $("copy-answer");
  const token = form.querySelector("input[name=csrf_token]").value;
  let controller = null;

  copy.hidden = raw.value === "";
  copy.addEventListener("click", copyAnswer);
  stop.addEventListener("click", () => controller && controller.abort());
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    run().catch(failed);
  });

  async function run() {
    start();
    controller = new AbortController();
    const fields = new URLSearchParams(new FormData(form));
    fields.delete("csrf_token"); // sent as a header instead; Flask-WTF reads X-CSRFToken
    const response = await fetch(form.dataset.streamUrl, {
      method: "POST",
      body: fields,
      headers: { "X-CSRFToken": token, Accept: "text/event-stream" },
      credentials: "same-origin",
      signal: controller.signal,
    });
    const type = response.headers.get("Content-Type") || "";
    if (response.ok && type.startsWith("text/event-stream")) {
      await readEvents(response.body.getReader());
    } else if (type.startsWith("application/json")) {
      refused(await response.json());
    } else {
      window.location.assign(response.url); // e.g. sent to sign in: follow it
    }
  }

  function start() {
    showError("");
    raw.value = "";
    body.replaceChildren(document.createTextNode(""));
    body.classList.add("streaming");
    meta.hidden = true;
    copy.hidden = true;
    answer.hidden = false;
    setState("streaming", "Writing…");
    generate.disabled = true;
    stop.hidden = false;
  }

  async function readEvents(reader) {
    const decoder = new TextDecoder();
    let buffer = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) {
        break;
      }
      buffer += decoder.decode(value, { stream: true });
      let cut;
      while ((cut = buffer.indexOf("\n\n")) >= 0) {
        dispatch(buffer.slice(0, cut));
        buffer = buffer.slice(cut + 2);
      }
    }
    if (answer.dataset.state === "streaming") {
      ended("error", "The answer stopped before it was complete.");
    }
  }

  function dispatch(block) {
    let name = "message";
    const data = [];
    for (const line of block.split("\n")) {
      if (line.startsWith("event:")) {
        name = line.slice(6).trim();
      } else if (line.startsWith("data:")) {
        data.push(line.slice(5).replace(/^ /, ""));
      }
    }
    if (data.length === 0) {
      return;
    }
    const payload = JSON.parse(data.join("\n"));
    if (name === "delta") {
      body.firstChild.appendData(payload.text || "");
      raw.value += payload.text || "";
    } else if (name === "done") {
      finished(payload);
    } else if (name === "error") {
      ended("error", "Stopped.");
      showError(payload.message);
    }
  }

  function finished(payload) {
    raw.value = payload.text || "";
    body.classList.remove("streaming");
    body.innerHTML = payload.rendered_html; // sanitised server-side (render.py)
    $("answer-model").textContent = payload.model || "";
    $("answer-usage").textContent = payload.usage_text || "";
    meta.hidden = false;
    const cut = payload.finish_reason === "length" ? "Stopped at the token limit." : "Done.";
    ended("done", cut);
  }

  function refused(problem) {
    answer.hidden = raw.value === "";
    ended("error", "");
    if (problem.redirect) {
      window.location.assign(problem.redirect);
      return;
    }
    showError(problem.message);
  }

  function failed(error) {
    if (error && error.name === "AbortError") {
      ended("stopped", "Stopped.");
      return;
    }
    ended("error", "Stopped.");
    showError("The connection was lost before the answer was complete. Try again.");
  }

  function ended(state, text) {
    setState(state, text);
    generate.disabled = false;
    stop.hidden = true;
    copy.hidden = raw.value === "";
    controller = null;
  }

  function setState(state, text) {
    answer.dataset.state = state;
    answer.setAttribute("aria-busy", state === "streaming" ? "true" : "false");
    status.textContent = text;
  }

  function showError(message) {
    errorBox.textContent = message || "";
    errorBox.hidden = !message;
  }

  async function copyAnswer() {
    try {
      await navigator.clipboard.writeText(raw.value);
    } catch (_error) {
      raw.hidden = false;
      raw.select();
      document.execCommand("copy");
      raw.hidden = true;
    }
    status.textContent = "Copied.";
  }
})();
