// Creating space: awards by competition level, one stacked bar per award (ECharts, vendored).
document.addEventListener("DOMContentLoaded", function () {
  if (typeof echarts === "undefined") { return; }
  var el = document.getElementById("awards-chart");
  var dataEl = document.getElementById("awards-chart-data");
  if (!el || !dataEl) { return; }
  var d = JSON.parse(dataEl.textContent);
  var chart = echarts.init(el);
  chart.setOption({
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
    legend: { bottom: 0 },
    grid: { left: 40, right: 20, top: 20, bottom: 60 },
    xAxis: { type: "category", data: d.levels },
    yAxis: { type: "value", minInterval: 1 },
    series: d.series.map(function (s) { return { name: s.name, type: "bar", stack: "awards", data: s.data }; })
  });
  el.dataset.rendered = "1";
  window.addEventListener("resize", function () { chart.resize(); });
});
