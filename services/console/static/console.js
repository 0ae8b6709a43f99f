// Progressive touches only: every page works without this file.
// A confirmation button submits once; a page waiting on an asynchronous effect reloads itself.
document.addEventListener("submit", (event) => {
  const button = event.target.querySelector("button[data-once]");
  if (button) {
    button.disabled = true;
    button.textContent = "Sending…";
  }
});

const waiting = document.querySelector("[data-refresh]");
if (waiting) {
  setTimeout(() => window.location.reload(), Number(waiting.dataset.refresh) * 1000);
}
