/* The emotion history as a line chart (Chart.js); the table stays for readers without it. */
(function () {
  "use strict";

  const source = document.getElementById("emotion-history");
  const canvas = document.getElementById("emotion-chart");
  if (!source || !canvas || !window.Chart) return;
  const history = JSON.parse(source.textContent);
  const COLOURS = {
    joy: "#d9a400", trust: "#3c9a3c", fear: "#7a5fa8", surprise: "#2d8fb8",
    sadness: "#4665a8", disgust: "#6d7a2a", anger: "#c9302c", anticipation: "#e07020",
  };
  canvas.parentElement.hidden = false;
  new window.Chart(canvas, {
    type: "line",
    data: {
      labels: history.map((row) => `t${row.tick}`),
      datasets: Object.entries(COLOURS).map(([name, colour]) => ({
        label: name,
        data: history.map((row) => row[name] || 0),
        borderColor: colour,
        backgroundColor: colour,
        pointRadius: 0,
        borderWidth: 2,
        tension: 0.3,
      })),
    },
    options: {
      animation: false,
      maintainAspectRatio: false,
      interaction: { mode: "index", intersect: false },
      scales: { y: { min: 0, max: 1, ticks: { stepSize: 0.25 } } },
      plugins: { legend: { position: "bottom", labels: { boxWidth: 12 } } },
    },
  });
})();
