// Teacher development: enterprise practice hours per year as a bar chart (ECharts, vendored).
document.addEventListener("DOMContentLoaded", function () {
  var dataEl = document.getElementById("faculty-practice-data");
  var el = document.getElementById("chart-practice");
  if (!dataEl || !el || typeof echarts === "undefined") { return; }
  var d = JSON.parse(dataEl.textContent);
  var chart = echarts.init(el);
  chart.setOption({
    tooltip: { trigger: "axis" },
    grid: { left: 60, right: 20, top: 30, bottom: 30 },
    xAxis: { type: "category", data: d.years },
    yAxis: { type: "value" },
    series: [{ name: d.label, type: "bar", data: d.hours, label: { show: true, position: "top" } }]
  });
  el.dataset.rendered = "1";
  window.addEventListener("resize", function () { chart.resize(); });
});
