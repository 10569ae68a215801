/* The report editor: add/remove opinion-stream rows, and autosave the draft.
 *
 * Autosave posts the whole form to the same URL with "X-Autosave: 1" when something changed. The
 * server answers {ok, version, saved_at}; only then does the hidden version field move forward, so
 * the version always comes from the server. A 409 (someone else saved, or the report is locked)
 * stops autosaving and shows the server's message: nothing is ever overwritten silently.
 */
(function () {
  "use strict";
  var form = document.getElementById("report-form");
  if (!form) return;
  var version = form.querySelector("input[name=version]");
  var statusBox = document.getElementById("autosave-status");
  var conflictBox = document.getElementById("conflict-box");
  var streams = document.getElementById("streams");
  var rowTemplate = document.getElementById("stream-template");
  var total = form.querySelector("input[name=streams-TOTAL_FORMS]");
  var emptyNote = form.querySelector("[data-streams-empty]");
  var interval = parseInt(form.dataset.autosaveMs || "15000", 10);
  var dirty = false, busy = false, stopped = false, submitting = false, pendingSubmit = null;

  function csrfToken() {
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function say(text, kind) {
    statusBox.textContent = text;
    statusBox.className = kind ? "autosave-" + kind : "muted";
  }

  function markDirty() {
    if (stopped) return;
    dirty = true;
    say("Có thay đổi chưa lưu…", "pending");
  }

  function renumber() {
    var shown = 0;
    streams.querySelectorAll("[data-stream-row]").forEach(function (row) {
      if (row.hidden) return;
      shown += 1;
      var number = row.querySelector("[data-row-number]");
      if (number) number.textContent = shown;
    });
    if (emptyNote) emptyNote.hidden = shown > 0;
  }

  function addRow() {
    var index = parseInt(total.value, 10);
    var html = rowTemplate.innerHTML.replace(/__prefix__/g, String(index));
    var holder = document.createElement("div");
    holder.innerHTML = html.trim();
    var row = holder.firstElementChild;
    streams.appendChild(row);
    if (window.longdanEnhanceSelects) window.longdanEnhanceSelects(row);
    total.value = String(index + 1);
    renumber();
    var first = row.querySelector("select, textarea, input:not([type=hidden])");
    if (first) first.focus();
  }

  function removeRow(row) {
    var del = row.querySelector("input[name$='-DELETE']");
    if (del) del.checked = true;
    row.hidden = true;
    renumber();
    markDirty();
  }

  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-add-stream]")) {
      event.preventDefault();
      addRow();
      return;
    }
    var remove = event.target.closest("[data-remove-stream]");
    if (remove) {
      event.preventDefault();
      removeRow(remove.closest("[data-stream-row]"));
    }
  });

  form.addEventListener("input", markDirty);
  form.addEventListener("change", markDirty);

  function showConflict(message) {
    stopped = true;
    conflictBox.hidden = false;
    conflictBox.querySelector("[data-conflict-message]").textContent = message;
    conflictBox.scrollIntoView({ behavior: "smooth", block: "start" });
    say("Đã dừng tự lưu vì có xung đột.", "error");
  }

  function autosave() {
    if (!dirty || busy || stopped || submitting) return Promise.resolve();
    busy = true;
    dirty = false;
    say("Đang tự lưu…", "pending");
    var data = new FormData(form);
    data.delete("action");
    // getAttribute: the buttons named "action" shadow the form.action property.
    return fetch(form.getAttribute("action") || window.location.pathname, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-Autosave": "1", "X-CSRFToken": csrfToken(), "Accept": "application/json" },
    })
      .then(function (response) {
        return response.json().then(function (body) { return { status: response.status, body: body }; },
          function () { return { status: response.status, body: {} }; });
      })
      .then(function (result) {
        var body = result.body || {};
        if (result.status === 200 && body.ok) {
          version.value = body.version;
          var label = document.querySelector("[data-version-label]");
          if (label) label.textContent = body.version;
          say("Đã tự lưu lúc " + body.saved_at + " (phiên bản " + body.version + ").", "ok");
        } else if (result.status === 409) {
          showConflict(body.error || "Báo cáo đã bị thay đổi ở nơi khác.");
        } else {
          dirty = true;
          say("Chưa tự lưu được: " + (body.error || "lỗi máy chủ (" + result.status + ")") +
            " Hệ thống sẽ thử lại.", "error");
        }
      })
      .catch(function () {
        dirty = true;
        say("Mất kết nối, chưa tự lưu được. Hệ thống sẽ thử lại.", "error");
      })
      .finally(function () {
        busy = false;
        if (pendingSubmit) {
          var submitter = pendingSubmit;
          pendingSubmit = null;
          submitter.click();
        }
      });
  }

  form.addEventListener("submit", function (event) {
    var submitter = event.submitter;
    // Wait for an autosave in flight, otherwise this post would carry the old version number.
    if (busy) {
      event.preventDefault();
      pendingSubmit = submitter;
      return;
    }
    if (submitter && submitter.dataset.confirm && !window.confirm(submitter.dataset.confirm)) {
      event.preventDefault();
      return;
    }
    submitting = true;
  });

  window.addEventListener("beforeunload", function (event) {
    if (dirty && !submitting && !stopped) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  renumber();
  window.setInterval(autosave, interval);
  window.longdanAutosave = autosave;
})();
