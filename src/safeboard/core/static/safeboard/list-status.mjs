// After htmx swaps a list's results (core/includes/filters.html), say the new number of results in
// the page's polite live region, so that people using a screen reader hear that the list changed.
export function initListStatus() {
  document.body.addEventListener("htmx:afterSettle", (event) => {
    const status = document.getElementById("list-status");
    const count = document.getElementById("list-count");
    if (!status || !count || !event.target || event.target.id !== "list-results") return;
    status.textContent = "";
    window.setTimeout(() => {
      status.textContent = count.textContent.trim();
    }, 100);
  });
}
