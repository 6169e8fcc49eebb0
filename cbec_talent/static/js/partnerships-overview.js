// Alliance overview (directors): enterprises by size/city/platform, agreements by kind, seats vs applications vs
// placements per enterprise, order-class quota fill (ECharts, vendored). Data comes from json_script "overview-data".
document.addEventListener("DOMContentLoaded", function () {
  if (typeof echarts === "undefined") { return; }
  var src = document.getElementById("overview-data");
  if (!src) { return; }
  var d = JSON.parse(src.textContent);
  var L = d.labels;
  var charts = [];

  function draw(id, option) {
    var el = document.getElementById(id);
    if (!el) { return; }
    var chart = echarts.init(el);
    chart.setOption(option);
    el.dataset.rendered = "1";
    charts.push(chart);
  }
  function names(rows) { return rows.map(function (r) { return r.name; }); }
  function col(rows, key) { return rows.map(function (r) { return r[key]; }); }
  function bar(rows, name) {
    return {
      tooltip: { trigger: "axis" }, grid: { left: 40, right: 10, top: 10, bottom: 70 },
      xAxis: { type: "category", data: names(rows), axisLabel: { rotate: 35, fontSize: 10 } },
      yAxis: { type: "value", minInterval: 1 },
      series: [{ type: "bar", name: name, data: col(rows, "value") }]
    };
  }

  draw("chart-size", { tooltip: { trigger: "item" },
    series: [{ type: "pie", radius: ["35%", "65%"], data: d.by_size, label: { fontSize: 10 } }] });
  draw("chart-city", bar(d.by_city, L.enterprises));
  draw("chart-platform", bar(d.by_platform, L.enterprises));
  draw("chart-kinds", {
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" } }, legend: { bottom: 0 },
    grid: { left: 170, right: 20, top: 10, bottom: 40 },
    yAxis: { type: "category", data: names(d.kinds), axisLabel: { fontSize: 11 } },
    xAxis: { type: "value", minInterval: 1 },
    series: [
      { type: "bar", stack: "k", name: L.active, data: col(d.kinds, "active") },
      { type: "bar", stack: "k", name: L.expiring, data: col(d.kinds, "expiring"), itemStyle: { color: "#e67e22" } },
      { type: "bar", stack: "k", name: L.inactive, data: col(d.kinds, "inactive"), itemStyle: { color: "#bbb" } }
    ]
  });
  draw("chart-seats", {
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" } }, legend: { bottom: 0 },
    grid: { left: 40, right: 10, top: 10, bottom: 80 },
    xAxis: { type: "category", data: names(d.per_enterprise), axisLabel: { rotate: 30, fontSize: 10 } },
    yAxis: { type: "value", minInterval: 1 },
    series: [
      { type: "bar", name: L.seats, data: col(d.per_enterprise, "seats") },
      { type: "bar", name: L.applications, data: col(d.per_enterprise, "applications") },
      { type: "bar", name: L.placed, data: col(d.per_enterprise, "placed") }
    ]
  });
  draw("chart-quota", {
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" } }, legend: { bottom: 0 },
    grid: { left: 40, right: 10, top: 10, bottom: 80 },
    xAxis: { type: "category", data: names(d.quota), axisLabel: { rotate: 20, fontSize: 10 } },
    yAxis: { type: "value", minInterval: 1 },
    series: [
      { type: "bar", name: L.quota, data: col(d.quota, "quota"), itemStyle: { color: "#ccc" } },
      { type: "bar", name: L.selected, stack: "s", data: col(d.quota, "selected") },
      { type: "bar", name: L.pending, stack: "s", data: col(d.quota, "pending"), itemStyle: { opacity: 0.5 } }
    ]
  });
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
});
