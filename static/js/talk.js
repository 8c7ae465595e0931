/* The conversation's emotional arc as a line chart (Chart.js): the character's sentiment
   (-1..1) and emotions (0..1) turn by turn. The table beside it stays for readers without it. */
(function () {
  "use strict";

  const source = document.getElementById("arc-data");
  const canvas = document.getElementById("arc-chart");
  if (!source || !canvas || !window.Chart) return;
  const arc = JSON.parse(source.textContent);
  const COLOURS = {
    joy: "#d9a400", trust: "#3c9a3c", fear: "#7a5fa8", surprise: "#2d8fb8",
    sadness: "#4665a8", disgust: "#6d7a2a", anger: "#c9302c", anticipation: "#e07020",
  };
  canvas.parentElement.hidden = false;
  const emotions = Object.entries(COLOURS).map(([name, colour]) => ({
    label: name,
    data: arc.map((row) => row[name] || 0),
    borderColor: colour,
    backgroundColor: colour,
    pointRadius: 0,
    borderWidth: 1.5,
    tension: 0.3,
  }));
  new window.Chart(canvas, {
    type: "line",
    data: {
      labels: arc.map((row) => `turn ${row.turn}`),
      datasets: [
        {
          label: "sentiment",
          data: arc.map((row) => row.sentiment),
          borderColor: "#222",
          backgroundColor: "#222",
          borderWidth: 3,
          pointRadius: 3,
          tension: 0.2,
        },
        ...emotions,
      ],
    },
    options: {
      animation: false,
      maintainAspectRatio: false,
      interaction: { mode: "index", intersect: false },
      scales: { y: { min: -1, max: 1, ticks: { stepSize: 0.5 } } },
      plugins: { legend: { position: "bottom", labels: { boxWidth: 12 } } },
    },
  });
})();
