// Position x competency requirement heatmap (ECharts, vendored).
document.addEventListener("DOMContentLoaded", function () {
  var el = document.getElementById("heatmap");
  var dataEl = document.getElementById("heatmap-data");
  if (!el || !dataEl || typeof echarts === "undefined") { return; }
  var d = JSON.parse(dataEl.textContent);
  var chart = echarts.init(el);
  chart.setOption({
    tooltip: {
      formatter: function (p) {
        var lvl = d.levels[p.value[2] - 1] || p.value[2];
        return d.positions[p.value[1]] + "<br>" + d.competencies[p.value[0]] + " " +
          d.competency_names[p.value[0]] + ": <b>" + lvl + "</b>";
      }
    },
    grid: { left: 260, right: 30, top: 20, bottom: 110 },
    xAxis: { type: "category", data: d.competencies, axisLabel: { rotate: 60, fontSize: 11 }, splitArea: { show: true } },
    yAxis: { type: "category", data: d.positions, inverse: true, axisLabel: { fontSize: 11, width: 240, overflow: "truncate" } },
    visualMap: { min: 0, max: d.levels.length, calculable: false, orient: "horizontal", left: "center", bottom: 0,
                 inRange: { color: ["#f0f6fc", "#9ecae1", "#3182bd", "#08306b"] }, show: true,
                 text: [d.levels[d.levels.length - 1] || "", ""] },
    series: [{ type: "heatmap", data: d.cells, label: { show: false }, emphasis: { itemStyle: { borderColor: "#333", borderWidth: 1 } } }]
  });
  el.dataset.rendered = "1";
  window.addEventListener("resize", function () { chart.resize(); });
});
