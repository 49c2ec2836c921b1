// Progress bars take their width from data-percent (no inline styles in templates).
function liangxinBars(root) {
  root.querySelectorAll(".progress-bar[data-percent]").forEach(function (bar) {
    bar.style.width = bar.dataset.percent + "%";
  });
}
document.addEventListener("DOMContentLoaded", function () { liangxinBars(document); });
document.addEventListener("htmx:afterSwap", function (event) { liangxinBars(event.target.parentNode || document); });
