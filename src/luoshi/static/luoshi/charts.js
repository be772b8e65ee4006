/* What every page's charts share: ECharts (vendored, served from the app) draws the specs a page
   carries as JSON (json_script), one per [data-chart] element, with the builder named by the
   spec's kind; a click on a bar or a point with a url goes to the tasks behind it; the charts
   are redrawn at the page's type size when the window changes (larger on a projector, smaller
   on a phone). The tables beside the charts show the same figures without any script. */
(function () {
  "use strict";

  function fontSize() {
    return Math.round(parseFloat(getComputedStyle(document.documentElement).fontSize) * 0.8);
  }

  function draw(dataId, builders) {
    var source = document.getElementById(dataId);
    if (!source || typeof echarts === "undefined") { return; }
    var specs = JSON.parse(source.textContent);
    var charts = [];

    function redraw() {
      var size = fontSize();
      charts.forEach(function (entry) { entry.chart.setOption(builders[entry.spec.kind](entry.spec, size), true); });
    }

    document.querySelectorAll("[data-chart]").forEach(function (el) {
      var spec = specs[el.getAttribute("data-chart")];
      if (!spec || !builders[spec.kind]) { return; }
      el.classList.add("drawn"); // shown before ECharts measures it
      var chart = echarts.init(el, null, { renderer: "canvas" });
      chart.on("click", function (p) {
        var url = p.data && p.data.url;
        if (url) { window.location.href = url; }
      });
      charts.push({ chart: chart, spec: spec });
    });
    redraw();

    var pending = null;
    window.addEventListener("resize", function () {
      clearTimeout(pending);
      pending = setTimeout(function () {
        redraw();
        charts.forEach(function (entry) { entry.chart.resize(); });
      }, 150);
    });
  }

  window.LuoshiCharts = { draw: draw, fontSize: fontSize };
})();
