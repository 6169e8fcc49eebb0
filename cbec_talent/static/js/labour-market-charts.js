// Labour-market demand charts (ECharts, vendored): bar charts per dimension, the monthly trend, the gap chart.
document.addEventListener("DOMContentLoaded", function () {
  if (typeof echarts === "undefined") { return; }
  var charts = [];
  function bar(el, labels, values) {
    var chart = echarts.init(el);
    chart.setOption({
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      grid: { left: 260, right: 30, top: 10, bottom: 30 },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", data: labels, axisLabel: { fontSize: 11, width: 250, overflow: "truncate" } },
      series: [{ type: "bar", data: values, itemStyle: { color: "#3182bd" }, label: { show: true, position: "right" } }]
    });
    charts.push(chart);
    el.dataset.rendered = "1";
  }
  var demand = document.getElementById("demand-data");
  if (demand) {
    var d = JSON.parse(demand.textContent);
    document.querySelectorAll(".lm-bar").forEach(function (el) {
      var c = d[el.dataset.kind];
      if (c) { bar(el, c.labels, c.values); }
    });
    var trendEl = document.getElementById("chart-trend");
    if (trendEl) {
      var t = d.trend;
      var series = [{ name: "postings", type: "line", data: t.postings, lineStyle: { width: 3 } }];
      t.series.forEach(function (s) { series.push({ name: s.name, type: "line", data: s.data }); });
      var chart = echarts.init(trendEl);
      chart.setOption({
        tooltip: { trigger: "axis" },
        legend: { top: 0 },
        grid: { left: 50, right: 30, top: 40, bottom: 30 },
        xAxis: { type: "category", data: t.months },
        yAxis: { type: "value", minInterval: 1 },
        series: series
      });
      charts.push(chart);
      trendEl.dataset.rendered = "1";
    }
  }
  var gap = document.getElementById("gap-data");
  var gapEl = document.getElementById("chart-gap");
  if (gap && gapEl) {
    var g = JSON.parse(gap.textContent);
    var chart2 = echarts.init(gapEl);
    chart2.setOption({
      tooltip: { trigger: "axis" },
      legend: { top: 0, data: ["demand %", "strength units"] },
      grid: { left: 50, right: 50, top: 40, bottom: 90 },
      xAxis: { type: "category", data: g.labels, axisLabel: { rotate: 45, fontSize: 10 } },
      yAxis: [{ type: "value", name: "%" }, { type: "value", name: "units", minInterval: 1 }],
      series: [
        { name: "demand %", type: "bar", data: g.share, itemStyle: { color: "#e6550d" } },
        { name: "strength units", type: "bar", yAxisIndex: 1, data: g.strength, itemStyle: { color: "#3182bd" } }
      ]
    });
    charts.push(chart2);
    gapEl.dataset.rendered = "1";
  }
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
});
