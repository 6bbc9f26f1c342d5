// Copy buttons of the new API key page: [data-copy] names the field whose text it copies.
// Without JavaScript the buttons stay hidden and the key is selectable text.
(function () {
  "use strict";

  for (const button of document.querySelectorAll("button[data-copy]")) {
    const source = document.getElementById(button.dataset.copy);
    const status = button.parentElement.querySelector(".copy-status");
    if (!source || !navigator.clipboard) {
      continue;
    }
    button.hidden = false;
    button.addEventListener("click", async () => {
      try {
        await navigator.clipboard.writeText(source.value);
        status.textContent = "Copied.";
      } catch (error) {
        source.select(); // the clipboard was refused: the text is selected for Ctrl+C
        status.textContent = "Press Ctrl+C to copy.";
      }
    });
  }
})();
