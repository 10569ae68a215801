/* The ward's map by tổ dân phố (templates/picture/_map.html): the areas' boundaries drawn with
   the local Leaflet on a blank background (no tile server: the office is on an intranet),
   coloured by opinions per 1,000 residents or by the aggrieved share; a click drills down to
   ?area=<id> of the current page. */
(function () {
  "use strict";

  var MEASURES = {
    per_1000: {
      label: "Ý kiến/1.000 dân",
      colours: ["#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c"],
      format: function (v) { return decimal(v); },
    },
    aggrieved_share: {
      label: "Tỷ lệ bức xúc",
      colours: ["#fee5d9", "#fcae91", "#fb6a4a", "#de2d26", "#a50f15"],
      format: function (v) { return decimal(v * 100) + "%"; },
    },
  };
  var NO_DATA = "#e3e3e3";
  var PLAIN = "#cfdcec";
  var TOUCH = window.matchMedia && window.matchMedia("(hover: none)").matches;
  var integerFormat = new Intl.NumberFormat("vi-VN", { maximumFractionDigits: 0 });
  var decimalFormat = new Intl.NumberFormat("vi-VN", { maximumFractionDigits: 1 });

  function decimal(v) { return decimalFormat.format(v); }
  function isNumber(v) { return typeof v === "number" && isFinite(v); }

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function readFigures(root) {
    var id = root.getAttribute("data-figures-id");
    var source = id && document.getElementById(id);
    var list = [];
    if (source) {
      try { list = JSON.parse(source.textContent) || []; } catch (e) { list = []; }
    }
    var byId = {};
    list.forEach(function (f) { byId[String(f.id)] = f; });
    return { list: list, byId: byId };
  }

  /* Classes by quintiles of the areas' values (a ward's counts are skewed: equal intervals
     would paint most areas alike), each break rounded so the legend reads well. */
  function quantile(sorted, q) {
    var at = q * (sorted.length - 1);
    var low = Math.floor(at);
    var high = Math.min(sorted.length - 1, low + 1);
    return sorted[low] + (sorted[high] - sorted[low]) * (at - low);
  }

  function roundBreak(value, measure) {
    if (measure === "aggrieved_share") return Math.round(value * 100) / 100;
    return value >= 10 ? Math.round(value) : Math.round(value * 10) / 10;
  }

  function scaleFor(measure, figures, shapedIds) {
    var values = [];
    shapedIds.forEach(function (id) {
      var f = figures.byId[id];
      if (f && isNumber(f[measure])) values.push(f[measure]);
    });
    values.sort(function (a, b) { return a - b; });
    var breaks = [];
    if (values.length) {
      [0.2, 0.4, 0.6, 0.8].forEach(function (q) {
        var cut = roundBreak(quantile(values, q), measure);
        var last = breaks.length ? breaks[breaks.length - 1] : values[0];
        if (cut > last && cut <= values[values.length - 1]) breaks.push(cut);
      });
    }
    var ramp = MEASURES[measure].colours;
    var classes = breaks.length + 1;
    var colours = [];
    for (var i = 0; i < classes; i++) {
      colours.push(ramp[classes === 1 ? 2 : Math.round(i * (ramp.length - 1) / (classes - 1))]);
    }
    return {
      measure: measure,
      breaks: breaks,
      colours: colours,
      single: values.length ? values[0] : null,
      colour: function (v) {
        if (!isNumber(v)) return NO_DATA;
        var index = 0;
        while (index < breaks.length && v >= breaks[index]) index++;
        return colours[index];
      },
    };
  }

  function legendLabels(scale) {
    var format = MEASURES[scale.measure].format;
    var breaks = scale.breaks;
    if (!breaks.length) {
      return scale.single === null ? [] : ["tất cả " + format(scale.single)];
    }
    return scale.colours.map(function (_, i) {
      if (i === 0) return "dưới " + format(breaks[0]);
      if (i === breaks.length) return "từ " + format(breaks[i - 1]);
      return format(breaks[i - 1]) + "–" + format(breaks[i]);
    });
  }

  function tooltipHtml(name, figure) {
    var lines = ["<strong>" + escapeHtml(name) + "</strong>"];
    if (figure) {
      var show = function (label, value, format) {
        if (value === null || value === undefined || value === "") return;
        lines.push(escapeHtml(label) + ": " + escapeHtml(isNumber(value) ? format(value) : value));
      };
      show("Nhân khẩu", figure.population, function (v) { return integerFormat.format(v); });
      show("Ý kiến", figure.count, function (v) { return integerFormat.format(v); });
      show("Ý kiến/1.000 dân", figure.per_1000, MEASURES.per_1000.format);
      show("Tỷ lệ bức xúc", figure.aggrieved_share, MEASURES.aggrieved_share.format);
      if (figure.silent) lines.push("<em>Im lặng: không nghe được ý kiến nào</em>");
    }
    return lines.join("<br>");
  }

  function drillUrl(areaId) {
    var url = new URL(window.location.href);
    url.searchParams.set("area", areaId);
    url.searchParams.delete("page");
    return url.toString();
  }

  function renderLegend(root, scale, figures, shapedIds) {
    var legend = root.querySelector(".area-map-legend");
    if (!scale) { legend.innerHTML = ""; return; }
    var spec = MEASURES[scale.measure];
    var parts = ['<span class="area-map-legend-title">' + escapeHtml(spec.label) + "</span>"];
    legendLabels(scale).forEach(function (label, i) {
      parts.push('<span class="area-map-key"><i style="background:' + scale.colours[i] +
        '"></i>' + escapeHtml(label) + "</span>");
    });
    var missing = shapedIds.some(function (id) {
      var f = figures.byId[id];
      return !f || !isNumber(f[scale.measure]);
    });
    if (missing) {
      parts.push('<span class="area-map-key"><i style="background:' + NO_DATA +
        '"></i>Không có số liệu</span>');
    }
    if (figures.list.some(function (f) { return f.silent; })) {
      parts.push('<span class="area-map-key"><i class="silent"></i>Im lặng (viền đứt)</span>');
    }
    legend.innerHTML = parts.join(" ");
  }

  function availableMeasures(figures) {
    return Object.keys(MEASURES).filter(function (m) {
      return figures.list.some(function (f) { return isNumber(f[m]); });
    });
  }

  function draw(root, data, figures) {
    var status = root.querySelector(".area-map-status");
    var canvas = root.querySelector(".area-map-canvas");
    var features = (data && data.features) || [];
    var shapedIds = features.map(function (f) { return String(f.properties.id); });
    listUnshaped(root, figures, shapedIds);
    if (!features.length) {
      status.textContent = "Chưa có ranh giới tổ dân phố nào để vẽ bản đồ.";
      canvas.hidden = true;
      return;
    }
    status.hidden = true;
    root.querySelector(".area-map-note").hidden = !features.some(function (f) {
      return f.properties.origin === "generated";
    });

    var selected = new URLSearchParams(window.location.search).get("area");
    var measures = availableMeasures(figures);
    var state = { measure: measures[0] || null };
    var scale = state.measure ? scaleFor(state.measure, figures, shapedIds) : null;

    var map = L.map(canvas, {
      attributionControl: false,
      zoomSnap: 0.25,
      scrollWheelZoom: false,
      // One finger scrolls the page on a phone; pinch or the buttons zoom the map.
      dragging: !L.Browser.mobile,
      tap: false,
      minZoom: 8,
      maxZoom: 19,
    });

    function style(feature) {
      var id = String(feature.properties.id);
      var figure = figures.byId[id];
      var isSelected = selected !== null && selected === id;
      return {
        color: isSelected ? "#111" : (figure && figure.silent ? "#555" : "#5a6b7d"),
        weight: isSelected ? 3 : (figure && figure.silent ? 1.6 : 1),
        dashArray: figure && figure.silent ? "4 3" : null,
        fillColor: scale ? scale.colour(figure ? figure[scale.measure] : null) : PLAIN,
        fillOpacity: 0.85,
      };
    }

    var layer = L.geoJSON(data, {
      style: style,
      onEachFeature: function (feature, path) {
        var id = String(feature.properties.id);
        var html = tooltipHtml(feature.properties.name, figures.byId[id]);
        path.on("add", function () {
          var element = path.getElement();
          element.setAttribute("data-area-id", id);
          element.setAttribute("aria-label", feature.properties.name);
        });
        if (TOUCH) {
          path.bindPopup(html + '<br><a class="area-map-drill" href="' +
            escapeHtml(drillUrl(id)) + '">Xem ý kiến của tổ này →</a>',
            { maxWidth: Math.max(160, canvas.clientWidth - 60), autoPanPadding: [12, 12] });
        } else {
          path.bindTooltip(html, { sticky: true, direction: "top" });
          path.on("click", function () { window.location.assign(drillUrl(id)); });
          path.on("mouseover", function () { path.setStyle({ weight: 2.5 }); });
          path.on("mouseout", function () { layer.resetStyle(path); });
        }
      },
    }).addTo(map);

    function fit() {
      fitHeight(canvas, layer.getBounds());
      map.invalidateSize();
      map.fitBounds(layer.getBounds(), { padding: [6, 6] });
    }
    fit();
    var timer = null;
    window.addEventListener("resize", function () {
      clearTimeout(timer);
      timer = setTimeout(fit, 150);
    });

    setUpToggle(root, measures, state, function (measure) {
      scale = scaleFor(measure, figures, shapedIds);
      layer.setStyle(style);
      renderLegend(root, scale, figures, shapedIds);
    });
    renderLegend(root, scale, figures, shapedIds);
    root.setAttribute("data-ready", "true");
  }

  /* The canvas as tall as the ward is, for its width (within bounds), so a wide ward does not
     leave half a phone screen empty and a tall one is not squeezed. */
  function fitHeight(canvas, bounds) {
    var south = bounds.getSouth(), north = bounds.getNorth();
    var wide = (bounds.getEast() - bounds.getWest()) *
      Math.cos(((south + north) / 2) * Math.PI / 180);
    if (!(wide > 0)) return;
    var ratio = (north - south) / wide;
    var height = canvas.clientWidth * ratio + 24;
    var most = Math.max(260, window.innerHeight * 0.7);
    canvas.style.height = Math.round(Math.min(most, Math.max(220, height))) + "px";
  }

  function setUpToggle(root, measures, state, change) {
    var group = root.querySelector(".area-map-measures");
    var buttons = group.querySelectorAll("button[data-measure]");
    if (measures.length === 0) return;
    Array.prototype.forEach.call(buttons, function (button) {
      var measure = button.getAttribute("data-measure");
      button.hidden = measures.indexOf(measure) < 0;
      button.setAttribute("aria-pressed", String(measure === state.measure));
      button.addEventListener("click", function () {
        state.measure = measure;
        Array.prototype.forEach.call(buttons, function (b) {
          b.setAttribute("aria-pressed", String(b === button));
        });
        change(measure);
      });
    });
    group.hidden = false;
  }

  function listUnshaped(root, figures, shapedIds) {
    var shaped = {};
    shapedIds.forEach(function (id) { shaped[id] = true; });
    var names = figures.list.filter(function (f) { return !shaped[String(f.id)]; })
      .map(function (f) { return f.name; });
    var target = root.querySelector(".area-map-unshaped");
    if (!names.length) { target.hidden = true; return; }
    target.textContent = "Chưa có ranh giới: " + names.join(", ") + ".";
    target.hidden = false;
  }

  function init(root) {
    var status = root.querySelector(".area-map-status");
    if (typeof window.L === "undefined") {
      status.textContent = "Không tải được thư viện bản đồ (static/vendor/leaflet).";
      return;
    }
    var figures = readFigures(root);
    fetch(root.getAttribute("data-shapes-url"), {
      credentials: "same-origin",
      headers: { Accept: "application/geo+json, application/json" },
    })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      })
      .then(function (data) { draw(root, data, figures); })
      .catch(function () {
        status.textContent = "Không tải được ranh giới tổ dân phố; hãy tải lại trang.";
      });
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll(".area-map"), init);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
