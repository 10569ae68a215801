// A single-choice select of units that a city's thousands of units do not fit in (issue 10): it
// lists the upper levels only, and typing asks the server for the units whose name or code
// matches, inside the reader's scope (orgs' unit search, names typed with or without
// diacritics). Without JavaScript the plain select still lists the upper levels.
(function () {
  "use strict";
  if (!window.TomSelect) return;
  function enhance(select) {
    if (select.tomselect) return;
    var url = select.dataset.searchUrl;
    new window.TomSelect(select, {
      valueField: "code",
      labelField: "name",
      searchField: [],
      maxOptions: 50,
      loadThrottle: 250,
      placeholder: "Gõ tên hoặc mã đơn vị",
      load: function (query, callback) {
        fetch(url + "?q=" + encodeURIComponent(query), { credentials: "same-origin" })
          .then(function (response) { return response.ok ? response.json() : { results: [] }; })
          .then(function (data) { callback(data.results); })
          .catch(function () { callback(); });
      },
      render: {
        option: function (item, escape) {
          var parent = item.parent ? '<small class="muted"> — ' + escape(item.parent) + "</small>" : "";
          return "<div>" + escape(item.name) + parent + "</div>";
        },
        no_results: function () { return '<div class="no-results">Không tìm thấy đơn vị</div>'; },
      },
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("select[data-search-url]").forEach(enhance);
  });
})();
