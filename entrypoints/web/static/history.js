// "Load more" without leaving the page: the next page is fetched and its items appended.
// Without this file the link simply opens the next page.
(function () {
  "use strict";

  const list = document.getElementById("history-list");
  if (!list || !window.fetch || !window.DOMParser) {
    return;
  }

  document.addEventListener("click", async (event) => {
    const link = event.target.closest("#load-more");
    if (!link) {
      return;
    }
    event.preventDefault();
    link.setAttribute("aria-disabled", "true");
    link.textContent = "Loading…";
    try {
      const response = await fetch(link.href, { credentials: "same-origin" });
      if (response.redirected) {
        window.location.assign(response.url); // e.g. the session ended: sign in again
        return;
      }
      if (!response.ok || !response.headers.get("Content-Type").startsWith("text/html")) {
        throw new Error(String(response.status));
      }
      // Our own page, escaped by its templates; parsed inertly, then its items moved over.
      const page = new DOMParser().parseFromString(await response.text(), "text/html");
      const items = page.querySelectorAll("#history-list > li");
      const first = items[0];
      list.append(...items);
      const next = page.getElementById("load-more");
      if (next) {
        link.href = next.href;
        link.textContent = "Load more";
        link.removeAttribute("aria-disabled");
      } else {
        link.parentElement.remove();
      }
      if (first) {
        first.querySelector("a").focus();
      }
    } catch (_error) {
      window.location.assign(link.href); // let the plain link do it
    }
  });
})();
