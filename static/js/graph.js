/* The relationship graph's picture, shared by the Observatory and a marketplace listing: the
   cytoscape style, the layout and the edges' look (colour by kind, width by strength, dashed
   when negative). Loaded before observatory.js and marketplace.js; each page adds only what
   is its own (the Observatory's emotion-coloured nodes and flashes). */
(function () {
  "use strict";

  const UNKNOWN_KIND = "#9a97a8";
  const layout = { name: "circle", padding: 30, avoidOverlap: true };

  const node = {
    "background-color": "#6c63ff",
    width: 36,
    height: 36,
    label: "data(label)",
    "text-wrap": "wrap",
    "text-valign": "bottom",
    "text-margin-y": 6,
    "font-size": 12,
    "font-family": "system-ui, sans-serif",
    color: "#1d1b26",
    "text-background-color": "#ffffff",
    "text-background-opacity": 0.8,
    "text-background-padding": 2,
  };

  const edge = {
    width: "data(width)",
    "line-color": "data(colour)",
    "line-style": "data(style)",
    "target-arrow-color": "data(colour)",
    "target-arrow-shape": "triangle",
    "curve-style": "bezier",
    "arrow-scale": 0.8,
    opacity: 0.85,
  };

  /* The stylesheet: the shared node and edge look, a page's own changes to them, and any
     rules of its own (``more``: [{selector, style}]). */
  function style({ nodes = {}, edges = {}, more = [] } = {}) {
    return [
      { selector: "node", style: { ...node, ...nodes } },
      { selector: "edge", style: { ...edge, ...edges } },
      ...more,
    ];
  }

  /* An edge's data as the style reads it; ``colours`` maps a relationship kind to a colour. */
  function edgeData(e, colours) {
    return {
      id: e.id,
      source: e.source,
      target: e.target,
      kind: e.kind,
      strength: e.strength,
      width: 1.5 + 6 * Math.abs(Number(e.strength) || 0),
      colour: (colours || {})[e.kind] || UNKNOWN_KIND,
      style: e.strength < 0 ? "dashed" : "solid",
    };
  }

  /* Draw ``elements`` in ``box`` (shown now) and fold the relationships table under it (the
     graph says the same; the table stays one click away). Returns the cytoscape instance, or
     null without cytoscape or a box. */
  function draw(box, elements, stylesheet) {
    if (!window.cytoscape || !box) return null;
    box.hidden = false;
    const details = document.getElementById("rel-details");
    if (details) details.open = false;
    return window.cytoscape({
      container: box,
      elements,
      layout,
      style: stylesheet || style(),
      userZoomingEnabled: false,
      boxSelectionEnabled: false,
    });
  }

  window.DramatisGraph = { layout, style, edgeData, draw };
})();
