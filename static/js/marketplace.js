/* Marketplace pages, drawn on top of tables that hold the same figures: a listing's
   relationship graph (cytoscape, from json_script "listing-graph") and the publisher's charts
   of views, installs and rating (Chart.js, from json_script "market-analytics"). */
(function () {
  "use strict";

  const read = (id) => {
    const node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  };

  const graph = read("listing-graph");
  const box = document.getElementById("graph");
  if (graph && box && window.cytoscape && graph.edges.length) {
    box.hidden = false;
    const details = document.getElementById("rel-details");
    if (details) details.open = false;
    window.cytoscape({
      container: box,
      elements: [
        ...graph.nodes.map((n) => ({ group: "nodes", data: { id: n.id, label: n.name } })),
        ...graph.edges.map((e) => ({
          group: "edges",
          data: {
            id: e.id,
            source: e.source,
            target: e.target,
            colour: graph.colours[e.kind] || "#9a97a8",
            width: 1.5 + 6 * Math.abs(Number(e.strength) || 0),
            style: e.strength < 0 ? "dashed" : "solid",
          },
        })),
      ],
      layout: { name: "circle", padding: 30, avoidOverlap: true },
      userZoomingEnabled: false,
      boxSelectionEnabled: false,
      style: [
        {
          selector: "node",
          style: {
            "background-color": "#6c63ff",
            width: 36,
            height: 36,
            label: "data(label)",
            "text-valign": "bottom",
            "text-margin-y": 6,
            "font-size": 12,
            "font-family": "system-ui, sans-serif",
            color: "#1d1b26",
            "text-background-color": "#ffffff",
            "text-background-opacity": 0.8,
            "text-background-padding": 2,
          },
        },
        {
          selector: "edge",
          style: {
            width: "data(width)",
            "line-color": "data(colour)",
            "line-style": "data(style)",
            "target-arrow-color": "data(colour)",
            "target-arrow-shape": "triangle",
            "curve-style": "bezier",
            opacity: 0.85,
          },
        },
      ],
    });
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
