/* Survey charts drawn with the local Chart.js: a horizontal bar chart per question (results and
   public pages) and the line chart of one question across survey rounds (question series). */
(function () {
  "use strict";
  if (typeof window.Chart === "undefined") return;
  var BLUE = "#0b4f9c";
  var PALETTE = ["#0b4f9c", "#c0392b", "#1f7a3d", "#b9770e", "#6c3483", "#117a8b", "#7b7d7d", "#a04000"];

  function vn(value, digits) {
    if (value === null || value === undefined) return "—";
    return Number(value).toFixed(digits).replace(".", ",");
  }

  function wrap(label, width) {
    var words = String(label).split(" "), lines = [], line = "";
    words.forEach(function (word) {
      if ((line + " " + word).trim().length > width && line) { lines.push(line); line = word; }
      else { line = (line + " " + word).trim(); }
    });
    if (line) lines.push(line);
    return lines;
  }

  function questionCharts() {
    var source = document.getElementById("survey-charts");
    if (!source) return;
    var charts = JSON.parse(source.textContent);
    charts.forEach(function (data) {
      var canvas = document.querySelector('canvas[data-chart="' + CSS.escape(data.name) + '"]');
      if (!canvas) return;
      var box = canvas.parentElement;
      box.style.height = Math.max(160, 46 * data.labels.length + 60) + "px";
      new window.Chart(canvas, {
        type: "bar",
        data: {
          labels: data.labels.map(function (l) { return wrap(l, 34); }),
          datasets: [{ label: "Tỷ lệ (%)", data: data.values, backgroundColor: BLUE, maxBarThickness: 28 }],
        },
        options: {
          indexAxis: "y",
          responsive: true,
          maintainAspectRatio: false,
          animation: false,
          scales: { x: { min: 0, ticks: { callback: function (v) { return v + "%"; } } } },
          plugins: {
            legend: { display: false },
            tooltip: { callbacks: {
              label: function (ctx) {
                var i = ctx.dataIndex;
                if (data.values[i] === null) return "Không công bố (dưới 5 người)";
                var text = vn(data.values[i], 1) + "%";
                if (data.low[i] !== null && data.high[i] !== null) {
                  text += " (khoảng tin cậy 95%: " + vn(data.low[i], 1) + "–" + vn(data.high[i], 1) + "%)";
                }
                return text;
              },
            } },
          },
        },
      });
    });
  }

  function seriesChart() {
    var source = document.getElementById("series-data");
    var canvas = document.getElementById("series-chart");
    if (!source || !canvas) return;
    var data = JSON.parse(source.textContent);
    var datasets = [];
    data.series.forEach(function (s, index) {
      var color = PALETTE[index % PALETTE.length];
      // The 95% interval as a faint band: the upper bound fills down to the lower bound.
      datasets.push({ label: s.label + " (cận dưới)", data: s.low, borderWidth: 0, pointRadius: 0,
                      fill: false, borderColor: "transparent", ci: true });
      datasets.push({ label: s.label + " (cận trên)", data: s.high, borderWidth: 0, pointRadius: 0,
                      fill: "-1", backgroundColor: color + "22", borderColor: "transparent", ci: true });
      datasets.push({ label: s.label, data: s.values, borderColor: color, backgroundColor: color,
                      tension: 0, borderWidth: 2, spanGaps: true });
    });
    new window.Chart(canvas, {
      type: "line",
      data: { labels: data.labels.map(function (l) { return wrap(l, 28); }), datasets: datasets },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: { y: { min: data.unit === "%" ? 0 : undefined, suggestedMax: data.unit === "%" ? 100 : undefined,
                       ticks: { callback: function (v) { return v + data.unit; } } } },
        plugins: {
          legend: { position: "bottom", labels: { filter: function (item, chart) {
            return !chart.datasets[item.datasetIndex].ci;
          } } },
          tooltip: { filter: function (item) { return !item.dataset.ci; }, callbacks: {
            label: function (ctx) {
              var band = ctx.chart.data.datasets;
              var low = band[ctx.datasetIndex - 2].data[ctx.dataIndex];
              var high = band[ctx.datasetIndex - 1].data[ctx.dataIndex];
              return ctx.dataset.label + ": " + vn(ctx.parsed.y, 1) + data.unit +
                " (khoảng tin cậy 95%: " + vn(low, 1) + "–" + vn(high, 1) + data.unit + ")";
            },
          } },
        },
      },
    });
  }

  questionCharts();
  seriesChart();
})();
