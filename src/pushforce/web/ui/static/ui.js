// Tabs (WAI-ARIA pattern: click, arrow keys, Home/End) for [data-tabs] containers.
document.querySelectorAll("[data-tabs]").forEach(function (box) {
  var tabs = Array.prototype.slice.call(box.querySelectorAll('[role="tab"]'));
  var current = document.querySelector("[data-current-tab]");
  function select(tab, focus) {
    tabs.forEach(function (t) {
      var on = t === tab;
      t.setAttribute("aria-selected", on ? "true" : "false");
      t.tabIndex = on ? 0 : -1;
      document.getElementById(t.getAttribute("aria-controls")).hidden = !on;
    });
    if (current) current.value = tab.dataset.tab;
    if (focus) tab.focus();
  }
  tabs.forEach(function (tab, i) {
    tab.addEventListener("click", function () { select(tab, false); });
    tab.addEventListener("keydown", function (e) {
      var next = {ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: tabs.length - 1}[e.key];
      if (next === undefined) return;
      e.preventDefault();
      select(tabs[(next + tabs.length) % tabs.length], true);
    });
  });
});
var errors = document.getElementById("settings-errors");
if (errors) errors.focus();
