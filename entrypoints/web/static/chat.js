// The chat page, enhanced: the answer is streamed in, Stop cancels it, Enter sends.
// Without this file the composer posts to /chat/<id>/messages and the page comes back whole.
// Model text is only ever added as text (textContent / text nodes). The one HTML insert is
// `rendered_html` of the `done` event, which the server rendered and sanitised (render.py).
(function () {
  "use strict";

  const form = document.getElementById("chat-form");
  const $ = (id) => document.getElementById(id);
  const copy = $("copy-answer");
  if (copy && navigator.clipboard) {
    copy.hidden = false;
    copy.addEventListener("click", copyAnswer);
  }
  if (!form || !window.fetch || !window.TextDecoder || !window.AbortController) {
    return;
  }
  const list = $("messages");
  const content = $("content");
  const model = $("model");
  const status = $("chat-status");
  const errorBox = $("form-error");
  const send = $("send-button");
  const stop = $("stop-button");
  const token = form.querySelector("input[name=csrf_token]").value;
  let controller = null;
  let answer = null; // the answer being written: {item, body, meta, text}

  content.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      if (!controller) {
        form.requestSubmit();
      }
    }
  });
  stop.addEventListener("click", () => controller && controller.abort());
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (content.value.trim() === "") {
      showError("Write a message.");
      return;
    }
    run().catch(failed);
  });

  async function run() {
    const fields = new URLSearchParams(new FormData(form));
    fields.delete("csrf_token"); // sent as a header instead; Flask-WTF reads X-CSRFToken
    start(content.value);
    controller = new AbortController();
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

  function start(text) {
    showError("");
    const empty = $("chat-empty");
    if (empty) {
      empty.remove();
    }
    const actions = $("last-actions");
    if (actions) {
      actions.hidden = true; // they belong to the answer before this one
    }
    list.append(bubble("user", "You", text));
    const item = bubble("assistant", "Assistant", "");
    item.dataset.state = "streaming";
    item.setAttribute("aria-busy", "true");
    list.append(item);
    answer = {
      item: item,
      body: item.querySelector(".message-body"),
      meta: item.querySelector(".message-meta"),
      text: "",
    };
    answer.body.classList.add("streaming");
    content.value = "";
    send.disabled = true;
    stop.hidden = false;
    status.textContent = "Writing…";
    item.scrollIntoView({ block: "end" });
  }

  function bubble(role, label, text) {
    const item = document.createElement("li");
    item.className = "message message-" + role;
    item.dataset.role = role;
    item.setAttribute("data-testid", "message");
    const who = document.createElement("p");
    who.className = "message-role";
    who.textContent = label;
    const body = document.createElement("div");
    body.className = "message-body" + (role === "user" ? " message-text" : " prose");
    body.setAttribute("data-testid", "message-body");
    body.append(document.createTextNode(text));
    const meta = document.createElement("p");
    meta.className = "message-meta";
    item.append(who, body, meta);
    return item;
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
    if (answer && answer.item.dataset.state === "streaming") {
      ended("failed", "The answer stopped before it was complete.");
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
    if (data.length === 0 || !answer) {
      return;
    }
    const payload = JSON.parse(data.join("\n"));
    if (name === "delta") {
      answer.body.firstChild.appendData(payload.text || "");
      answer.text += payload.text || "";
    } else if (name === "done") {
      finished(payload);
    } else if (name === "error") {
      ended("failed", "");
      showError(payload.message);
    }
  }

  function finished(payload) {
    const message = payload.assistant_message || {};
    answer.text = message.content || answer.text;
    answer.body.classList.remove("streaming");
    answer.body.innerHTML = payload.rendered_html; // sanitised server-side (render.py)
    answer.meta.textContent = [payload.model, payload.usage_text].filter(Boolean).join(" · ");
    answer.item.dataset.status = message.status || "completed";
    moveActions(answer);
    ended("done", "");
  }

  function moveActions(latest) {
    const actions = $("last-actions");
    $("answer-raw").value = latest.text;
    $("regenerate-model").value = model ? model.value : "";
    latest.item.after(actions);
    actions.hidden = false;
  }

  function refused(problem) {
    if (answer) {
      answer.item.remove();
    }
    ended("failed", "");
    if (problem.redirect) {
      window.location.assign(problem.redirect);
      return;
    }
    showError(problem.message);
  }

  function failed(error) {
    if (error && error.name === "AbortError") {
      ended("cancelled", "Stopped.");
      if (answer) {
        const badge = document.createElement("span");
        badge.className = "badge badge-cancelled";
        badge.setAttribute("data-testid", "message-status");
        badge.textContent = "Stopped";
        answer.meta.replaceChildren(badge);
      }
      return;
    }
    ended("failed", "");
    showError("The connection was lost before the answer was complete. Try again.");
  }

  function ended(state, text) {
    if (answer) {
      answer.item.dataset.state = state;
      answer.item.setAttribute("aria-busy", "false");
      answer.body.classList.remove("streaming");
    }
    status.textContent = text;
    send.disabled = false;
    stop.hidden = true;
    controller = null;
    content.focus();
  }

  function showError(message) {
    errorBox.textContent = message || "";
    errorBox.hidden = !message;
  }

  async function copyAnswer() {
    const raw = $("answer-raw");
    try {
      await navigator.clipboard.writeText(raw.value);
      copy.textContent = "Copied";
    } catch (_error) {
      copy.textContent = "Copy failed";
    }
  }
})();
