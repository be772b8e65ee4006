/* A project's charts: ECharts (vendored, served from the app) draws what the page carries in
   #project-data: each stage's planned and actual dates on a time axis (a slipped stage's plan in
   red, a late one's date in orange), and the cumulative investment planned and made, month by
   month. Every text comes from the server, already translated; the tables under the charts give
   the same figures without this script. */
(function () {
  "use strict";
  var DAY = 24 * 3600 * 1000;

  function timelineOption(spec, size) {
    return {
      legend: { top: 0, textStyle: { fontSize: size } },
      tooltip: { trigger: "item", textStyle: { fontSize: size },
        formatter: function (p) { return spec.categories[p.value[1]] + "<br>" + p.seriesName + ": " + p.data.note; } },
      grid: { left: 8, right: 24, top: size * 4.5, bottom: 8, containLabel: true },
      // a month's room on either side, so that no point sits on an axis or under its labels
      xAxis: { type: "time", axisLabel: { fontSize: size, hideOverlap: true },
        min: function (v) { return v.min - 31 * DAY; }, max: function (v) { return v.max + 31 * DAY; } },
      yAxis: { type: "category", data: spec.categories, inverse: true, axisLabel: { fontSize: size } },
      series: spec.series.map(function (s, n) {
        return {
          name: s.name, type: "scatter", symbolSize: size * (s.hollow ? 1.4 : 1),
          itemStyle: s.hollow ? { color: "#fff", borderColor: s.colour, borderWidth: 2 } : { color: s.colour },
          data: s.data.map(function (d) {
            return { value: d.value, note: d.note,
              itemStyle: s.hollow ? { color: "#fff", borderColor: d.colour, borderWidth: 2 } : { color: d.colour } };
          }),
          markLine: n === 0 ? { symbol: "none", silent: true, lineStyle: { color: "#888", type: "dashed" },
            label: { formatter: spec.today_label, fontSize: size, position: "start" },
            data: [{ xAxis: spec.today }] } : undefined
        };
      })
    };
  }

  function curveOption(spec, size) {
    return {
      legend: { top: 0, right: 0, textStyle: { fontSize: size } }, // clear of the axis's name on the left
      tooltip: { trigger: "axis", textStyle: { fontSize: size },
        valueFormatter: function (v) { return v === null || v === undefined ? "—" : v + " " + spec.unit; } },
      grid: { left: 8, right: 24, top: size * 4, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: spec.categories, axisLabel: { fontSize: size, rotate: 30 } },
      yAxis: { type: "value", name: spec.unit, nameTextStyle: { fontSize: size }, axisLabel: { fontSize: size } },
      series: spec.series.map(function (s) {
        return { name: s.name, type: "line", data: s.data, connectNulls: false, symbolSize: size / 2,
          itemStyle: { color: s.colour }, lineStyle: { color: s.colour, width: 2 } };
      })
    };
  }

  var builders = { timeline: timelineOption, curve: curveOption };

  LuoshiCharts.draw("project-data", builders);
})();
