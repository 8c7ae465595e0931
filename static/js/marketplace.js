/* Marketplace pages, drawn on top of tables that hold the same figures: a listing's
   relationship graph (cytoscape through graph.js, from json_script "listing-graph") and the
   publisher's charts of views, installs and rating (Chart.js, from json_script
   "market-analytics"). */
(function () {
  "use strict";

  const read = (id) => {
    const node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  };

  const graph = read("listing-graph");
  const G = window.DramatisGraph;
  if (graph && G && graph.edges.length) {
    G.draw(document.getElementById("graph"), [
      ...graph.nodes.map((n) => ({ group: "nodes", data: { id: n.id, label: n.name } })),
      ...graph.edges.map((e) => ({ group: "edges", data: G.edgeData(e, graph.colours) })),
    ]);
  }

  const analytics = read("market-analytics");
  if (analytics && window.Chart) {
    for (const series of analytics.listings) {
      const canvas = document.getElementById("chart-" + series.id);
      if (!canvas) continue;
      canvas.parentElement.hidden = false;
      new window.Chart(canvas, {
        data: {
          labels: analytics.labels,
          datasets: [
            { type: "bar", label: "Views", data: series.views, backgroundColor: "#79aec8", yAxisID: "y" },
            { type: "bar", label: "Installs", data: series.installs, backgroundColor: "#417690", yAxisID: "y" },
            {
              type: "line", label: "Rating", data: series.rating, borderColor: "#e07020",
              backgroundColor: "#e07020", spanGaps: true, yAxisID: "stars",
            },
          ],
        },
        options: {
          animation: false,
          maintainAspectRatio: false,
          scales: {
            y: { beginAtZero: true, ticks: { precision: 0 } },
            stars: { position: "right", min: 0, max: 5, grid: { drawOnChartArea: false } },
          },
          plugins: { legend: { position: "bottom", labels: { boxWidth: 12 } } },
        },
      });
    }
  }
})();
