// 首页: ranking bars of both coverage rates per 镇街, each with numerator/denominator.
(function () {
  var holder = document.getElementById("coverage-chart");
  var data = JSON.parse(document.getElementById("coverage-data").textContent);
  if (!holder || !data.length) { return; }
  var towns = data.map(function (d) { return d.town; }).reverse();
  function series(name, key) {
    return {
      name: name, type: "bar",
      data: data.map(function (d) {
        return { value: d[key].percent === null ? 0 : parseFloat(d[key].percent), n: d[key].numerator, d: d[key].denominator };
      }).reverse(),
      label: { show: true, position: "right", formatter: function (p) { return p.value + "%（" + p.data.n + "/" + p.data.d + "）"; } }
    };
  }
  var chart = echarts.init(holder);
  chart.setOption({
    animation: false,
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
    legend: { data: ["党的组织覆盖率", "党的工作覆盖率"] },
    grid: { left: 90, right: 130, top: 40, bottom: 20 },
    xAxis: { type: "value", max: 100, axisLabel: { formatter: "{value}%" } },
    yAxis: { type: "category", data: towns },
    series: [series("党的组织覆盖率", "org"), series("党的工作覆盖率", "work")]
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
