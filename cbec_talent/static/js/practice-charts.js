// Practice KPI line charts: one chart per KPI, one line per team, one point per round (ECharts, vendored).
document.addEventListener("DOMContentLoaded", function () {
  var dataEl = document.getElementById("practice-chart-data");
  if (!dataEl || typeof echarts === "undefined") { return; }
  var d = JSON.parse(dataEl.textContent);
  var charts = [];
  d.charts.forEach(function (c) {
    var el = document.getElementById("chart-" + c.id);
    if (!el) { return; }
    var chart = echarts.init(el);
    chart.setOption({
      tooltip: { trigger: "axis" },
      legend: { top: 0, type: "scroll" },
      grid: { left: 70, right: 20, top: 30, bottom: 30 },
      xAxis: { type: "category", data: d.rounds },
      yAxis: { type: "value", scale: true },
      series: c.series.map(function (s) { return { name: s.name, type: "line", data: s.data, connectNulls: false }; })
    });
    el.dataset.rendered = "1";
    charts.push(chart);
  });
  window.addEventListener("resize", function () { charts.forEach(function (ch) { ch.resize(); }); });
});
