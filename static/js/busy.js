// Downloads that take seconds (a DOCX, a PDF, an XLSX of a large list): a note "Đang tạo tệp…" from the
// click until the file arrives. The server answers the request with a cookie carrying the token
// this script added to the link (core/downloads.py), which is how the script knows it is done.
(function () {
  "use strict";
  var COOKIE = "longdan_dl";
  var note = null;
  var timer = null;

  function show(text) {
    if (!note) {
      note = document.createElement("div");
      note.className = "busy-note";
      note.setAttribute("role", "status");
      note.setAttribute("aria-live", "polite");
      document.body.appendChild(note);
    }
    note.innerHTML = '<span class="spinner" aria-hidden="true"></span> ';
    note.appendChild(document.createTextNode(text));
    note.hidden = false;
  }

  function hide() {
    if (note) note.hidden = true;
    clearInterval(timer);
  }

  function arrived(token) {
    return document.cookie.split("; ").indexOf(COOKIE + "=" + token) !== -1;
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest('a[data-busy], a[href*=".xlsx"], a[href*="docx"], a[href*="pdf"]');
    if (!link || event.defaultPrevented || event.button !== 0 || event.ctrlKey || event.metaKey) return;
    var token = Math.random().toString(36).slice(2, 12) + Date.now().toString(36);
    var url = new URL(link.href, window.location.href);
    url.searchParams.set("dl", token);
    link.href = url.toString();
    show(link.getAttribute("data-busy") || "Đang tạo tệp, xin chờ trong giây lát…");
    var started = Date.now();
    clearInterval(timer);
    timer = setInterval(function () {
      if (arrived(token) || Date.now() - started > 120000) hide();
    }, 250);
  });
})();
