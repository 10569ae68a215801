/* The issue page's timeline: items per day, drawn with the local Chart.js (no CDN). */
(function () {
  "use strict";
  var canvas = document.getElementById("issue-timeline");
  var source = document.getElementById("issue-chart-data");
  if (!canvas || !source || typeof window.Chart === "undefined") return;
  var data = JSON.parse(source.textContent);
  var days = data.days || [];
  new window.Chart(canvas, {
    type: "bar",
    data: {
      labels: days.map(function (d) { var p = d.day.split("-"); return p[2] + "/" + p[1]; }),
      datasets: [{ label: "Số ý kiến", data: days.map(function (d) { return d.count; }),
        backgroundColor: "#0b4f9c" }],
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
      plugins: { legend: { display: false } },
    },
  });
})();
