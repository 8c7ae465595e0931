/* The admin revenue page's charts (Chart.js), drawn from the json_script block
   "revenue-data" (billing.revenue.revenue_chart_data). The tables hold every figure; the charts
   only appear when this script runs. Amounts arrive in the currency's smallest unit and are
   formatted with integer arithmetic, never divided as floats. */
(function () {
  "use strict";

  const source = document.getElementById("revenue-data");
  const charts = document.getElementById("revenue-charts");
  if (!source || !charts || !window.Chart) return;
  const data = JSON.parse(source.textContent);
  const COLOURS = ["#417690", "#79aec8", "#e07020", "#3c9a3c", "#7a5fa8", "#c9302c", "#d9a400"];

  function money(amount, currency) {
    const meta = data.currencies[currency] || { symbol: currency.toUpperCase() + " ", exponent: 2 };
    const sign = amount < 0 ? "-" : "";
    const digits = String(Math.abs(Math.trunc(amount))).padStart(meta.exponent + 1, "0");
    const cut = digits.length - meta.exponent;
    const major = digits.slice(0, cut).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
    return sign + meta.symbol + major + (meta.exponent ? "." + digits.slice(cut) : "");
  }

  const common = { animation: false, maintainAspectRatio: false };
  const legend = { position: "bottom", labels: { boxWidth: 12 } };
  charts.hidden = false;

  const currencies = Object.keys(data.collected);
  new window.Chart(document.getElementById("revenue-chart-collected"), {
    type: "bar",
    data: {
      labels: data.months,
      datasets: currencies.map((currency, i) => ({
        label: currency.toUpperCase(),
        data: data.collected[currency],
        backgroundColor: COLOURS[i % COLOURS.length],
        yAxisID: i === 0 ? "y" : "y" + i,
      })),
    },
    options: {
      ...common,
      scales: Object.fromEntries(currencies.map((currency, i) => [
        i === 0 ? "y" : "y" + i,
        {
          beginAtZero: true,
          position: i % 2 ? "right" : "left",
          grid: { drawOnChartArea: i === 0 },
          ticks: { callback: (value) => money(value, currency) },
        },
      ])),
      plugins: {
        legend: { ...legend, display: currencies.length > 1 },
        tooltip: {
          callbacks: {
            label: (item) => data.collected_display[currencies[item.datasetIndex]][item.dataIndex],
          },
        },
      },
    },
  });

  new window.Chart(document.getElementById("revenue-chart-movement"), {
    type: "line",
    data: {
      labels: data.months,
      datasets: [
        { label: "New", data: data.new, borderColor: COLOURS[3], backgroundColor: COLOURS[3] },
        { label: "Cancelled", data: data.cancellations, borderColor: COLOURS[5], backgroundColor: COLOURS[5] },
      ],
    },
    options: {
      ...common,
      interaction: { mode: "index", intersect: false },
      scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
      plugins: { legend },
    },
  });

  new window.Chart(document.getElementById("revenue-chart-plans"), {
    type: "doughnut",
    data: {
      labels: data.plans.map((plan) => plan.name),
      datasets: [{
        data: data.plans.map((plan) => plan.subscribers),
        backgroundColor: data.plans.map((_, i) => COLOURS[i % COLOURS.length]),
      }],
    },
    options: { ...common, plugins: { legend } },
  });
})();
