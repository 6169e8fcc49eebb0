// Cohorts: students x competencies heatmap and the student's radar against a target position (ECharts, vendored).
document.addEventListener("DOMContentLoaded", function () {
  if (typeof echarts === "undefined") { return; }
  var hm = document.getElementById("attainment-heatmap");
  var hmData = document.getElementById("attainment-heatmap-data");
  if (hm && hmData) {
    var d = JSON.parse(hmData.textContent);
    var chart = echarts.init(hm);
    chart.setOption({
      tooltip: { formatter: function (p) { return d.students[p.value[1]] + "<br>" + d.competencies[p.value[0]] + ": <b>" + p.value[2] + "%</b>"; } },
      grid: { left: 180, right: 30, top: 20, bottom: 120 },
      xAxis: { type: "category", data: d.competencies, axisLabel: { rotate: 60, fontSize: 11, width: 110, overflow: "truncate" } },
      yAxis: { type: "category", data: d.students, inverse: true, axisLabel: { fontSize: 11 } },
      visualMap: { min: 0, max: 100, calculable: true, orient: "horizontal", left: "center", bottom: 0,
                   inRange: { color: ["#d73027", "#fee08b", "#1a9850"] } },
      series: [{ type: "heatmap", data: d.cells, label: { show: d.students.length <= 20, fontSize: 10 } }]
    });
    hm.dataset.rendered = "1";
    window.addEventListener("resize", function () { chart.resize(); });
  }
  var rd = document.getElementById("student-radar");
  var rdData = document.getElementById("student-radar-data");
  if (rd && rdData) {
    var r = JSON.parse(rdData.textContent);
    var labels = document.getElementById("radar-labels").dataset;
    var radar = echarts.init(rd);
    radar.setOption({
      tooltip: {},
      legend: { data: [labels.student, labels.target], bottom: 0 },
      radar: { indicator: r.indicators.map(function (x, i) { return { name: x.name + (r.names[i] ? "\n" + r.names[i] : ""), max: 100 }; }),
               axisName: { fontSize: 11 } },
      series: [{ type: "radar", data: [
        { value: r.target, name: labels.target, lineStyle: { type: "dashed" }, areaStyle: { opacity: 0.05 } },
        { value: r.student, name: labels.student, areaStyle: { opacity: 0.25 } }
      ] }]
    });
    rd.dataset.rendered = "1";
    window.addEventListener("resize", function () { radar.resize(); });
  }
});
