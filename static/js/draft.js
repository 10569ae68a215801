/* Session limits seen from the page (core/sessions.py):
   - text typed before a session ended and posted after it is kept by the server and, once the
     reader has signed in again, sent back in <script id="kept-draft" type="application/json">:
     fill it back into the page's form fields of the same names (the n-th value of a name into the
     n-th field of that name);
   - ten minutes before the absolute end of the session (body[data-session-ends], seconds since
     the epoch), a notice asks the reader to save what they are typing. */
(function () {
  "use strict";

  function restore() {
    var holder = document.getElementById("kept-draft");
    if (!holder) return;
    var fields;
    try { fields = JSON.parse(holder.textContent); } catch (e) { return; }
    var seen = {};
    fields.forEach(function (pair) {
      var name = pair[0], value = pair[1];
      var index = seen[name] || 0;
      seen[name] = index + 1;
      var matches = document.querySelectorAll("form [name=\"" + CSS.escape(name) + "\"]");
      var boxes = Array.prototype.filter.call(matches, function (el) {
        return el.type === "checkbox" || el.type === "radio";
      });
      if (boxes.length) {
        boxes.forEach(function (box) { if (box.value === value) box.checked = true; });
        return;
      }
      var field = matches[index];
      if (!field || field.type === "file" || field.type === "submit" || field.type === "button") return;
      if (field.tagName === "SELECT") {
        Array.prototype.forEach.call(field.options, function (option) {
          if (option.value === value) option.selected = true;
        });
      } else {
        field.value = value;
      }
      field.dispatchEvent(new Event("input", { bubbles: true }));
      field.dispatchEvent(new Event("change", { bubbles: true }));
    });
  }

  function warnBeforeEnd() {
    var ends = parseInt(document.body.dataset.sessionEnds || "", 10);
    if (!ends) return;
    var warnAt = ends * 1000 - 10 * 60 * 1000 - Date.now();
    if (warnAt > 2147483647) return;
    window.setTimeout(function () {
      var main = document.querySelector("main") || document.body;
      var notice = document.createElement("p");
      notice.className = "error session-ending";
      notice.setAttribute("role", "alert");
      var at = new Date(ends * 1000);
      notice.textContent = "Phiên đăng nhập sẽ kết thúc lúc " +
        String(at.getHours()).padStart(2, "0") + ":" + String(at.getMinutes()).padStart(2, "0") +
        " (phải đăng nhập lại định kỳ). Hãy lưu nội dung đang gõ trước giờ đó.";
      main.insertBefore(notice, main.firstChild);
    }, Math.max(warnAt, 0));
  }

  document.addEventListener("DOMContentLoaded", function () {
    restore();
    warnBeforeEnd();
  });
})();
