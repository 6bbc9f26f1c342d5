// The video forms, enhanced: the options follow the chosen model's capabilities, and a
// chosen image is previewed (and checked for type and size) before it is sent.
// Without this file the server renders the options of the model it was given, and the API
// names the allowed values if another model's value is sent.
(function () {
  "use strict";

  const form = document.getElementById("video-form");
  if (!form) {
    return;
  }
  const SELECTS = ["duration", "resolution", "aspect_ratio"];
  const FLAGS = ["generate_audio", "seed"];
  const capabilities = JSON.parse(form.dataset.capabilities || "{}");
  const model = form.querySelector("select[name=model]");

  if (model) {
    model.addEventListener("change", () => offer(capabilities[model.value]));
  }

  function offer(caps) {
    if (!caps) {
      return; // a model the list does not describe: leave the options as they are
    }
    for (const name of SELECTS) {
      const select = form.elements.namedItem(name);
      const kept = select.value;
      const first = select.options[0]; // "Model default"
      select.replaceChildren(first);
      for (const [value, label] of caps[name]) {
        select.add(new Option(label, value, false, value === kept));
      }
      if (select.value !== kept) {
        select.value = "";
      }
      show(name, caps[name].length > 0);
    }
    for (const name of FLAGS) {
      show(name, Boolean(caps[name]));
    }
  }

  // A hidden option is also disabled, so the form does not send it.
  function show(name, offered) {
    const box = form.querySelector(`[data-option="${name}"]`);
    box.hidden = !offered;
    for (const control of box.querySelectorAll("input, select")) {
      control.disabled = !offered;
    }
  }

  const file = form.elements.namedItem("image");
  if (!file || !window.URL || !URL.createObjectURL) {
    return;
  }
  const preview = document.getElementById("image-preview");
  const caption = document.getElementById("image-preview-caption");
  const error = document.getElementById("image-error");
  const types = (file.getAttribute("accept") || "").split(",");
  const maxBytes = Number(file.dataset.maxBytes);
  let shown = null;

  file.addEventListener("change", () => {
    clear();
    const chosen = file.files[0];
    if (!chosen) {
      return;
    }
    const problem = check(chosen);
    if (problem) {
      complain(problem);
      return;
    }
    shown = URL.createObjectURL(chosen); // a blob: URL, allowed by this page's CSP only
    const image = document.createElement("img");
    image.src = shown;
    image.alt = "Preview of the chosen image";
    image.dataset.testid = "preview-image";
    preview.prepend(image);
    caption.textContent = `${chosen.name} · ${size(chosen.size)}`;
    preview.hidden = false;
  });

  form.addEventListener("submit", (event) => {
    const chosen = file.files[0];
    const problem = chosen && check(chosen);
    if (problem) {
      event.preventDefault(); // nothing is sent: the prompt stays as typed
      complain(problem);
      file.focus();
    }
  });

  function check(chosen) {
    if (chosen.type && !types.includes(chosen.type)) {
      return "Only PNG, JPEG and WebP images are accepted.";
    }
    if (maxBytes && chosen.size > maxBytes) {
      return `The image is ${size(chosen.size)}; it may be at most ${file.dataset.cap}.`;
    }
    return "";
  }

  function complain(message) {
    error.textContent = message;
    error.hidden = false;
    file.setAttribute("aria-invalid", "true");
    file.closest(".field").classList.add("has-error");
  }

  function clear() {
    if (shown) {
      URL.revokeObjectURL(shown);
      shown = null;
    }
    const old = preview.querySelector("img");
    if (old) {
      old.remove();
    }
    preview.hidden = true;
    caption.textContent = "";
    error.hidden = true;
    error.textContent = "";
    file.removeAttribute("aria-invalid");
    file.closest(".field").classList.remove("has-error");
  }

  function size(bytes) {
    if (bytes < 1024 * 1024) {
      return `${Math.max(1, Math.round(bytes / 1024))} KiB`;
    }
    return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
  }
})();
