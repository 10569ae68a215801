/* The monitoring desk's charts with the local Chart.js (no CDN): a story's mentions per day, and
   a finding's mentions per day before and after the correction (two colours). */
(function () {
  "use strict";
  if (typeof window.Chart === "undefined") return;
  function label(day) { var p = day.split("-"); return p[2] + "/" + p[1]; }
  function draw(canvasId, dataId, colour) {
    var canvas = document.getElementById(canvasId);
    var source = document.getElementById(dataId);
    if (!canvas || !source) return;
    var days = JSON.parse(source.textContent).days || [];
    new window.Chart(canvas, {
      type: "bar",
      data: {
        labels: days.map(function (d) { return label(d.day); }),
        datasets: [{ label: "Số tin", data: days.map(function (d) { return d.mentions; }),
          backgroundColor: days.map(colour) }],
      },
      options: {
        responsive: true, maintainAspectRatio: false, animation: false,
        scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
        plugins: { legend: { display: false } },
      },
    });
  }
  draw("story-chart", "story-chart-data", function () { return "#0b4f9c"; });
  draw("volume-chart", "volume-chart-data", function (d) { return d.after ? "#2e7d32" : "#c62828"; });
})();
