/* The picture's attitude mix per topic: stacked horizontal bars with the local Chart.js.
   The numbers are in the table below the chart; a hidden small count ("< 3") is drawn as nothing. */
(function () {
  "use strict";
  var canvas = document.getElementById("attitude-chart");
  var source = document.getElementById("attitude-data");
  if (!canvas || !source || typeof window.Chart === "undefined") return;
  var chart = JSON.parse(source.textContent);
  var narrow = window.matchMedia("(max-width: 600px)").matches;
  canvas.parentNode.style.height = Math.max(180, chart.labels.length * (narrow ? 34 : 30) + 70) + "px";
  new window.Chart(canvas, {
    type: "bar",
    data: {
      labels: chart.labels,
      datasets: chart.datasets.map(function (d) {
        return { label: d.label, data: d.data, backgroundColor: d.colour, borderWidth: 0, barPercentage: 0.8 };
      }),
    },
    options: {
      indexAxis: "y",
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      scales: {
        x: { stacked: true, beginAtZero: true, ticks: { precision: 0 } },
        y: { stacked: true, ticks: { autoSkip: false, font: { size: narrow ? 11 : 12 },
             callback: function (value) {
               var label = this.getLabelForValue(value);
               var max = narrow ? 18 : 32;
               return label.length > max ? label.slice(0, max - 1) + "…" : label;
             } } },
      },
      plugins: { legend: { position: "bottom", labels: { boxWidth: 12 } } },
    },
  });
})();
