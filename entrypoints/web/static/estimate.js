// The estimated maximum cost, kept current as the form changes (model, prompt, options).
// Without this file the page shows the estimate of its selection and an Estimate button.
(function () {
  "use strict";

  const form = document.querySelector("form[data-estimate-url]");
  const box = document.getElementById("estimate");
  if (!form || !box || !window.fetch || !window.AbortController) {
    return;
  }
  const DELAY_MS = 400;
  const FIELDS = ["model", "prompt", "system", "max_tokens", "duration", "resolution"];
  const button = document.getElementById("estimate-button");
  const token = form.querySelector("input[name=csrf_token]").value;
  let timer = null;
  let controller = null;

  if (button) {
    button.hidden = true; // the estimate follows the form by itself
  }
  for (const name of FIELDS) {
    const field = form.elements.namedItem(name);
    if (field) {
      field.addEventListener("input", later);
      field.addEventListener("change", later);
    }
  }

  function later() {
    window.clearTimeout(timer);
    timer = window.setTimeout(() => ask().catch(() => {}), DELAY_MS);
  }

  async function ask() {
    if (controller) {
      controller.abort(); // only the newest answer counts
    }
    controller = new AbortController();
    const fields = new URLSearchParams({ kind: form.dataset.estimateKind });
    for (const name of FIELDS) {
      const field = form.elements.namedItem(name);
      if (field && !field.disabled && field.value) {
        fields.set(name, field.value);
      }
    }
    const response = await fetch(form.dataset.estimateUrl, {
      method: "POST",
      body: fields,
      headers: { "X-CSRFToken": token, Accept: "application/json" },
      credentials: "same-origin",
      signal: controller.signal,
    });
    if (!response.ok) {
      box.textContent = "";
      return;
    }
    const answer = await response.json();
    box.textContent = answer.text || "";
    box.classList.toggle("estimate-over", answer.allowed === false);
  }
})();
