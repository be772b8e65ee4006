/* The dashboard's charts: ECharts (vendored, served from the app) draws the data the page carries in
   #dashboard-data. Every text comes from the server, already translated; every bar and slice links to
   the ledger listing the tasks behind it, as the table under the chart does. Without this script the
   tables alone show the same figures. */
(function () {
  "use strict";

  function narrow() { return window.matchMedia("(max-width: 760px)").matches; }

  function coloured(data, colour) {
    return data.map(function (d) {
      return { value: d.value, url: d.url, note: d.note, itemStyle: { color: d.colour || colour } };
    });
  }

  function percentLabel(v) { return v === null || v === undefined ? "—" : v + "%"; }

  function legend(size) {
    return { top: 0, type: "scroll", textStyle: { fontSize: size } };
  }

  function barOption(spec, size) {
    var valueAxis = { type: "value", minInterval: 1, axisLabel: { fontSize: size } };
    var categoryAxis = { type: "category", data: spec.categories, inverse: !!spec.horizontal,
      axisLabel: { fontSize: size, width: narrow() ? 96 : 180, overflow: "truncate" } };
    return {
      legend: legend(size),
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, textStyle: { fontSize: size } },
      grid: { left: 8, right: 24, top: size * 3, bottom: 8, containLabel: true },
      xAxis: spec.horizontal ? valueAxis : categoryAxis,
      yAxis: spec.horizontal ? categoryAxis : valueAxis,
      series: spec.series.map(function (s) {
        return { name: s.name, type: "bar", stack: spec.stacked ? (s.stack || "all") : undefined,
          barMaxWidth: size * 2.5, itemStyle: { color: s.colour }, emphasis: { focus: "series" },
          data: coloured(s.data, s.colour) };
      })
    };
  }

  function pieOption(spec, size) {
    var s = spec.series[0];
    return {
      tooltip: { trigger: "item", formatter: "{b}: {c} ({d}%)", textStyle: { fontSize: size } },
      series: [{ name: s.name, type: "pie", radius: ["34%", "58%"], center: ["50%", "50%"],
        label: { fontSize: size, formatter: "{b}\n{c}" },
        data: s.data.filter(function (d) { return d.value > 0; }).map(function (d) {
          return { name: d.name, value: d.value, url: d.url, itemStyle: { color: d.colour } };
        }) }]
    };
  }

  function weeksOption(spec, size) {
    return {
      legend: legend(size),
      tooltip: { trigger: "axis", textStyle: { fontSize: size } },
      // rotated week labels reach left of their tick: room for the first one
      grid: { left: size * 4, right: 8, top: size * 3, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: spec.categories, axisLabel: { fontSize: size, rotate: narrow() ? 60 : 30 } },
      yAxis: [{ type: "value", minInterval: 1, axisLabel: { fontSize: size } },
        { type: "value", min: 0, max: 100, axisLabel: { fontSize: size, formatter: "{value}%" } }],
      series: spec.series.map(function (s) {
        var line = s.type === "line";
        return { name: s.name, type: s.type, yAxisIndex: line ? 1 : 0, connectNulls: true,
          itemStyle: { color: s.colour }, symbolSize: size / 2, barMaxWidth: size * 2,
          tooltip: line ? { valueFormatter: percentLabel } : undefined,
          data: coloured(s.data, s.colour) };
      })
    };
  }

  function progressOption(spec, size) {
    var s = spec.series[0];
    return {
      tooltip: { trigger: "item", textStyle: { fontSize: size },
        formatter: function (p) { return p.name + "<br>" + p.value + "%" + (p.data.note ? " · " + p.data.note : ""); } },
      grid: { left: 8, right: size * 3.5, top: 8, bottom: 8, containLabel: true },
      xAxis: { type: "value", min: 0, max: 100, axisLabel: { fontSize: size, formatter: "{value}%" } },
      yAxis: { type: "category", data: spec.categories,
        axisLabel: { fontSize: size, width: narrow() ? 110 : 240, overflow: "truncate" } },
      series: [{ name: s.name, type: "bar", barMaxWidth: size * 2,
        showBackground: true, backgroundStyle: { color: "#eef1f5" },
        label: { show: true, position: "right", fontSize: size, formatter: "{c}%" },
        data: coloured(s.data) }]
    };
  }

  var builders = { bar: barOption, pie: pieOption, weeks: weeksOption, progress: progressOption };

  LuoshiCharts.draw("dashboard-data", builders);
})();
