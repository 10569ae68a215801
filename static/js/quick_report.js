// Quick report: while the person types, ask the server for a topic and attitude suggestion
// (debounced) and pre-fill the two selects. A choice the person made is never overwritten.
(function () {
  "use strict";
  var form = document.getElementById("quick-form");
  if (!form) return;
  var url = form.getAttribute("data-suggest-url");
  var text = form.querySelector("textarea[name=text]");
  var topic = form.querySelector("select[name=topic]");
  var attitude = form.querySelector("select[name=attitude]");
  var out = document.getElementById("suggestion");
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]");
  var touched = { topic: false, attitude: false };
  var timer = null;
  var pending = null;
  var lastSent = "";
  // Every request gets a number; only the answer to the latest one counts. An aborted request
  // can still deliver an answer already on its way, and a slow one can overtake a newer one.
  var sequence = 0;

  [["topic", topic], ["attitude", attitude]].forEach(function (pair) {
    if (!pair[1]) return;
    if (pair[1].value) touched[pair[0]] = true; // re-shown after an error: keep the choice
    pair[1].addEventListener("change", function () {
      touched[pair[0]] = true;
      pair[1].classList.remove("suggested");
    });
  });

  function prefill(select, value, key) {
    if (!select || touched[key]) return;
    var option = value
      ? select.querySelector('option[value="' + String(value).replace(/"/g, "") + '"]')
      : null;
    if (!option) {
      // The text changed and no longer suggests anything: drop the earlier suggestion rather
      // than file it as if the person had confirmed it.
      if (select.classList.contains("suggested")) {
        select.value = "";
        select.classList.remove("suggested");
      }
      return;
    }
    select.value = String(value);
    select.classList.add("suggested");
  }

  function show(data) {
    var parts = [];
    if (data.topic_name) parts.push("chủ đề <strong>" + escapeHtml(data.topic_name) + "</strong>");
    if (data.attitude_label) parts.push("thái độ <strong>" + escapeHtml(data.attitude_label) + "</strong>");
    var msg = parts.length ? "Gợi ý: " + parts.join(", ") : "";
    if (data.cues && data.cues.length) msg += " (từ: " + data.cues.slice(0, 4).map(escapeHtml).join(", ") + ")";
    if (data.masked_kinds && data.masked_kinds.length) msg += (msg ? ". " : "") + "Thông tin cá nhân sẽ được che khi lưu.";
    if (msg) msg += " Hãy kiểm tra và sửa nếu chưa đúng.";
    out.innerHTML = msg;
    prefill(topic, data.topic_id, "topic");
    prefill(attitude, data.attitude, "attitude");
  }

  function escapeHtml(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function ask() {
    var value = text.value.trim();
    if (value.length < 6) {
      // Too short to judge (or erased): forget what was suggested for the earlier text.
      sequence += 1;
      if (pending && pending.abort) pending.abort();
      if (lastSent) show({});
      lastSent = "";
      return;
    }
    if (value === lastSent) return;
    lastSent = value;
    var mine = ++sequence;
    if (pending && pending.abort) pending.abort();
    var controller = window.AbortController ? new AbortController() : null;
    pending = controller;
    var body = new URLSearchParams();
    body.append("text", value);
    fetch(url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrf ? csrf.value : "", "X-Requested-With": "fetch" },
      signal: controller ? controller.signal : undefined,
    })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (mine !== sequence || text.value.trim() !== value) {
          // The person has written something else since: this answer is not about their text.
          form.dataset.staleAnswers = String(Number(form.dataset.staleAnswers || 0) + 1);
          return;
        }
        // No answer for the current text (a server error): what was suggested for the earlier
        // text must not stay as if it were about this one.
        show(data || {});
      })
      .catch(function () {
        // Offline, or aborted by a newer request: the person picks by hand.
        if (mine === sequence) show({});
      });
  }

  text.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(ask, 350);
  });
  if (text.value) ask();
})();
