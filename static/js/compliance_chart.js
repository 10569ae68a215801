/* The compliance trend: reporting rate and on-time rate per period, drawn with the local Chart.js. */
(function () {
  "use strict";
  var canvas = document.getElementById("trend-chart");
  var source = document.getElementById("trend-data");
  if (!canvas || !source || typeof window.Chart === "undefined") return;
  var rows = JSON.parse(source.textContent);
  new window.Chart(canvas, {
    type: "line",
    data: {
      labels: rows.map(function (r) { return r.label.replace("Tháng ", "T"); }),
      datasets: [
        { label: "Tỷ lệ nộp (%)", data: rows.map(function (r) { return r.reporting; }),
          borderColor: "#0b4f9c", backgroundColor: "rgba(11,79,156,.12)", fill: true, tension: 0, borderWidth: 2 },
        { label: "Tỷ lệ đúng hạn (%)", data: rows.map(function (r) { return r.on_time; }),
          borderColor: "#1f7a3d", backgroundColor: "#1f7a3d", borderDash: [6, 4], tension: 0, borderWidth: 2 },
      ],
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      spanGaps: true,
      scales: { y: { min: 0, max: 100, ticks: { callback: function (v) { return v + "%"; } } } },
      plugins: {
        legend: { position: "bottom" },
        tooltip: { callbacks: {
          afterLabel: function (ctx) { return "Phải nộp: " + rows[ctx.dataIndex].expected + " đơn vị"; },
        } },
      },
    },
  });
})();
