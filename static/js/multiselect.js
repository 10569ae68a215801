// Multi-selects with search (issue 17): a plain <select multiple> needs Ctrl to pick a second
// option and has no search. Tom Select turns each into a box of chosen items with a search field;
// typing without diacritics finds names with them ("an lu" → "An Lư"). Without JavaScript the
// plain select still works.
(function () {
  "use strict";
  if (!window.TomSelect) return;
  // Tom Select's own folding leaves "đ" alone; Vietnamese readers type "d" for it.
  function fold(text) {
    return String(text).normalize("NFD").replace(/[\u0300-\u036f]/g, "")
      .replace(/đ/g, "d").replace(/Đ/g, "D").toLowerCase();
  }
  function enhance(select) {
    if (select.tomselect || select.dataset.plain !== undefined) return;
    new window.TomSelect(select, {
      plugins: ["remove_button"],
      maxOptions: null,
      hidePlaceholder: true,
      placeholder: "Gõ để tìm, chọn được nhiều",
      searchField: [{ field: "folded" }],
      onInitialize: function () {
        var options = this.options;
        Object.keys(options).forEach(function (key) { options[key].folded = fold(options[key].text); });
      },
      score: function (search) {
        var wanted = fold(search).trim();
        return function (item) { return !wanted || fold(item.text).indexOf(wanted) !== -1 ? 1 : 0; };
      },
      // After a pick the search starts afresh, for the next name.
      onItemAdd: function () { this.setTextboxValue(""); this.refreshOptions(false); },
      render: {
        no_results: function () { return '<div class="no-results">Không tìm thấy</div>'; },
      },
    });
  }
  function enhanceAll(root) {
    (root || document).querySelectorAll("select[multiple]").forEach(enhance);
  }
  window.longdanEnhanceSelects = enhanceAll; // for rows a page adds itself (report_edit.js)
  document.addEventListener("DOMContentLoaded", function () { enhanceAll(document); });
  // Forms that htmx swaps in (a new opinion stream row) get the same control.
  document.addEventListener("htmx:afterSwap", function (event) { enhanceAll(event.target); });
})();
