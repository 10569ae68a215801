/* What every page does, kept out of the HTML so the Content-Security-Policy allows no inline
   script (longdan/settings.py CONTENT_SECURITY_POLICY, core/csp.py):
   - the menu: one group open at a time, a click elsewhere or Escape closes it, the phone's
     button folds it;
   - data-confirm on a form or a submit button asks before posting (a form marked
     data-own-confirm asks on its own, static/js/report_edit.js);
   - a link marked data-back goes back one page (its href is where to go without history);
   - on a phone the picture's filters fold away unless one is in use. */
(function () {
  "use strict";

  function menu() {
    var nav = document.getElementById("mainnav");
    var toggle = document.querySelector(".navtoggle");
    if (!nav) return;
    document.documentElement.classList.add("js-nav");
    var groups = nav.querySelectorAll("details.navgroup");
    groups.forEach(function (group) {
      group.addEventListener("toggle", function () {
        if (!group.open) return;
        groups.forEach(function (other) { if (other !== group) other.open = false; });
      });
    });
    document.addEventListener("click", function (event) {
      if (!nav.contains(event.target)) groups.forEach(function (g) { g.open = false; });
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape") groups.forEach(function (g) { g.open = false; });
    });
    if (toggle) toggle.addEventListener("click", function () {
      var open = nav.classList.toggle("open");
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    });
  }

  function confirmations() {
    document.addEventListener("submit", function (event) {
      var form = event.target;
      if (!(form instanceof HTMLFormElement) || form.hasAttribute("data-own-confirm")) return;
      var submitter = event.submitter;
      var question = (submitter && submitter.dataset.confirm) || form.dataset.confirm;
      if (question && !window.confirm(question)) {
        event.preventDefault();
        event.stopImmediatePropagation();
      }
    }, true);
  }

  function backLinks() {
    document.addEventListener("click", function (event) {
      var link = event.target.closest && event.target.closest("a[data-back]");
      if (!link || window.history.length < 2) return;
      event.preventDefault();
      window.history.back();
    });
  }

  function foldFilters() {
    var more = document.getElementById("filters-more");
    if (!more || !more.hasAttribute("data-fold-on-phone")) return;
    var summary = more.querySelector("summary");
    if (window.matchMedia("(max-width: 600px)").matches && summary
        && summary.textContent.indexOf("đang lọc") < 0 && !document.querySelector(".has-error")) {
      more.open = false;
    }
  }

  confirmations();
  backLinks();
  function ready() { menu(); foldFilters(); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
  else ready();
})();
