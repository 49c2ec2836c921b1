// Progress bars take their width from data-percent (no inline styles in templates).
function liangxinBars(root) {
  root.querySelectorAll(".progress-bar[data-percent]").forEach(function (bar) {
    bar.style.width = bar.dataset.percent + "%";
  });
}
document.addEventListener("DOMContentLoaded", function () { liangxinBars(document); });
document.addEventListener("htmx:afterSwap", function (event) { liangxinBars(event.target.parentNode || document); });

// At phone width the left menu folds under the top bar's 菜单 button.
document.addEventListener("DOMContentLoaded", function () {
  var toggle = document.querySelector(".menu-toggle");
  var menu = document.getElementById("side-menu");
  if (!toggle || !menu) return;
  toggle.addEventListener("click", function () {
    var open = menu.classList.toggle("open");
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
  });
});
