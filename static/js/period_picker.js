// The period picker (templates/reporting/includes/period_picker.html): show the month select for
// a monthly period, the half select for a 6-month one, neither for a year. Hidden selects are
// disabled so the form posts only what the chosen kind needs.
(function () {
  function update(picker) {
    var kind = picker.querySelector("[name=period_kind]").value;
    picker.querySelectorAll("[data-period-part]").forEach(function (part) {
      var shown = part.getAttribute("data-period-part") === kind;
      part.hidden = !shown;
      part.querySelectorAll("select").forEach(function (select) { select.disabled = !shown; });
    });
  }
  document.querySelectorAll("[data-period-picker]").forEach(function (picker) {
    picker.querySelector("[name=period_kind]").addEventListener("change", function () { update(picker); });
    update(picker);
  });
})();
