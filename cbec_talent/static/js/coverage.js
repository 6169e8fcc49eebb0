// Programme coverage heatmap: competencies x semesters, strength units (ECharts, vendored).
document.addEventListener("DOMContentLoaded", function () {
  var el = document.getElementById("coverage-heatmap");
  var dataEl = document.getElementById("coverage-data");
  if (!el || !dataEl || typeof echarts === "undefined") { return; }
  var d = JSON.parse(dataEl.textContent);
  var max = 1;
  d.cells.forEach(function (c) { if (c[2] > max) { max = c[2]; } });
  var chart = echarts.init(el);
  chart.setOption({
    tooltip: { formatter: function (p) { return d.competencies[p.value[1]] + "<br>S" + d.semesters[p.value[0]] + ": " + p.value[2]; } },
    grid: { left: 230, right: 30, top: 10, bottom: 70 },
    xAxis: { type: "category", data: d.semesters, splitArea: { show: true } },
    yAxis: { type: "category", data: d.competencies, inverse: true, axisLabel: { fontSize: 11, width: 220, overflow: "truncate" } },
    visualMap: { min: 0, max: max, orient: "horizontal", left: "center", bottom: 0, inRange: { color: ["#f0f6fc", "#9ecae1", "#3182bd", "#08306b"] } },
    series: [{ type: "heatmap", data: d.cells, label: { show: true, fontSize: 10 } }]
  });
  el.dataset.rendered = "1";
  window.addEventListener("resize", function () { chart.resize(); });
});
