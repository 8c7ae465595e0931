/* Analytics charts (Chart.js) of a world's analytics page and the staff platform page, drawn
   from the json_script block "analytics-data": {canvas id: {type, labels, datasets, stacked}}
   (stories.views.world_analytics_charts, stories.admin platform charts). The tables hold every
   figure; the charts' container ("analytics-charts") only shows when this script runs. */
(function () {
  "use strict";

  const source = document.getElementById("analytics-data");
  const box = document.getElementById("analytics-charts");
  if (!source || !box || !window.Chart) return;
  const specs = JSON.parse(source.textContent);
  // The Okabe-Ito palette (distinguishable by most colour-blind readers), then two more.
  const COLOURS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00",
                   "#F0E442", "#7F3C8D", "#999999", "#3B7A57"];
  box.hidden = false;

  Object.entries(specs).forEach(([id, spec]) => {
    const canvas = document.getElementById(id);
    if (!canvas) return;
    const line = spec.type === "line";
    new window.Chart(canvas, {
      type: spec.type,
      data: {
        labels: spec.labels,
        datasets: spec.datasets.map((set, i) => ({
          label: set.label,
          data: set.data,
          borderColor: COLOURS[i % COLOURS.length],
          backgroundColor: COLOURS[i % COLOURS.length],
          pointRadius: line ? 2 : undefined,
        })),
      },
      options: {
        animation: false,
        maintainAspectRatio: false,
        interaction: { mode: "index", intersect: false },
        scales: {
          x: { stacked: Boolean(spec.stacked) },
          y: {
            stacked: Boolean(spec.stacked),
            beginAtZero: true,
            ticks: { precision: spec.percent ? undefined : 0 },
            max: spec.percent ? 100 : undefined,
          },
        },
        plugins: {
          legend: {
            position: "bottom",
            labels: { boxWidth: 12 },
            display: spec.datasets.length > 1,
          },
        },
      },
    });
  });
})();
