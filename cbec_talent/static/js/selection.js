// Class selection: weighted totals stacked by criterion, selected candidates highlighted, the quota line (ECharts).
document.addEventListener("DOMContentLoaded", function () {
  if (typeof echarts === "undefined") { return; }
  var el = document.getElementById("selection-chart");
  var src = document.getElementById("selection-chart-data");
  if (!el || !src) { return; }
  var d = JSON.parse(src.textContent);
  var series = d.series.map(function (s) {
    return {
      name: s.name, type: "bar", stack: "total",
      data: s.data.map(function (v, i) { return { value: v, itemStyle: { opacity: d.selected[i] ? 1 : 0.45 } }; })
    };
  });
  if (series.length && d.cut !== null) {
    series[series.length - 1].markLine = {
      symbol: "none", lineStyle: { type: "dashed", color: "#c0392b" },
      label: { formatter: d.labels.quota + " (" + d.quota + "): " + d.cut },
      data: [{ yAxis: d.cut }]
    };
  }
  var chart = echarts.init(el);
  chart.setOption({
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" },
               formatter: function (ps) {
                 var i = ps[0].dataIndex;
                 return d.students[i] + "<br>" + ps.map(function (p) { return p.marker + p.seriesName + ": " + p.value; }).join("<br>") +
                   "<br><b>" + d.labels.total + ": " + d.totals[i] + "</b>";
               } },
    legend: { bottom: 0 },
    grid: { left: 50, right: 20, top: 30, bottom: 90 },
    xAxis: { type: "category", data: d.students, axisLabel: { rotate: 45, fontSize: 10 } },
    yAxis: { type: "value", name: d.labels.total, max: 100 },
    series: series
  });
  el.dataset.rendered = "1";
  window.addEventListener("resize", function () { chart.resize(); });
});
