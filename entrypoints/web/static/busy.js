// Forms marked data-busy-label say they are working once submitted (an image takes a while).
(function () {
  "use strict";

  for (const form of document.querySelectorAll("form[data-busy-label]")) {
    const button = form.querySelector("button[type=submit]");
    const note = document.getElementById("busy-note");
    const label = button.textContent;
    form.addEventListener("submit", (event) => {
      // After this event the browser still submits the form: only the button is disabled.
      window.setTimeout(() => {
        if (event.defaultPrevented) {
          return; // another script stopped the submit (e.g. video.js: the file is too large)
        }
        button.disabled = true;
        button.textContent = form.dataset.busyLabel;
        if (note) {
          note.textContent = "This can take a minute.";
        }
      }, 0);
    });
    window.addEventListener("pageshow", () => {
      button.disabled = false;
      button.textContent = label;
      if (note) {
        note.textContent = "";
      }
    });
  }
})();
