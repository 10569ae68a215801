/* A point's quick marking shows only the fields its disposition needs (without script every
   field shows and the service says what is missing). */
(function () {
  "use strict";
  document.documentElement.classList.add("js-petitions");
  document.querySelectorAll("form.mark-form").forEach(function (form) {
    var radios = form.querySelectorAll("input[name=disposition]");
    if (!radios.length) return;
    function update() {
      var chosen = "";
      radios.forEach(function (r) { if (r.checked) chosen = r.value; });
      form.querySelectorAll("[data-when]").forEach(function (box) {
        var wanted = box.getAttribute("data-when").split(" ");
        box.classList.toggle("off", wanted.indexOf(chosen) < 0);
      });
    }
    radios.forEach(function (r) { r.addEventListener("change", update); });
    update();
  });
})();
