/* The Society page on top of its tables: the graph coloured by circle and sized by influence,
   a chart and a slider over the history, and live updates: on social_updated the page
   re-reads GET /api/v1/ecosystems/<id>/social/ and redraws. The server-rendered tables work
   on their own; this keeps them current. */
(function () {
  "use strict";

  const D = window.Dramatis;
  const cfg = D.config();
  const source = document.getElementById("society-data");
  if (!cfg || !source) return;

  const $ = (id) => document.getElementById(id);
  let state = JSON.parse(source.textContent);
  let cy = null;
  let chart = null;

  const colourOf = (communities) => {
    const map = new Map();
    communities.forEach((c, i) => map.set(c.id, cfg.colours[i % cfg.colours.length]));
    return map;
  };

  function cell(tag, text, className) {
    const el = document.createElement(tag);
    el.textContent = text;
    if (className) el.className = className;
    return el;
  }

  /* A table's one-cell "nothing here" row across all its columns. */
  const none = (text, columns) => () => {
    const tr = document.createElement("tr");
    const td = cell("td", text);
    td.colSpan = columns;
    tr.append(td);
    return tr;
  };

  function row(cells, headFirst = true) {
    const tr = document.createElement("tr");
    cells.forEach((value, i) => {
      const td = cell(i === 0 && headFirst ? "th" : "td", String(value ?? ""), typeof value === "number" ? "num" : "");
      if (i === 0 && headFirst) td.scope = "row";
      tr.append(td);
    });
    return tr;
  }

  function fill(id, rows, empty) {
    const body = document.querySelector(`#${id} tbody`) || $(id);
    if (!body) return;
    body.replaceChildren(...rows);
    if (!rows.length && empty) body.append(empty());
  }

  function listItems(items) {
    return items.map((text) => cell("li", text));
  }

  // --- the graph --------------------------------------------------------------------------------

  function drawGraph(snapshot) {
    const box = $("society-graph");
    if (!window.cytoscape || !box) return;
    const colours = colourOf(snapshot.communities);
    const elements = [
      ...snapshot.graph.nodes.map((n) => ({
        group: "nodes",
        data: {
          id: n.id,
          label: n.name,
          colour: colours.get(n.community) || "#bbbbbb",
          size: 18 + 42 * Math.sqrt(n.influence || 0),
        },
      })),
      ...snapshot.graph.edges.map((e, i) => ({
        group: "edges",
        data: { id: `e${i}`, source: e.source, target: e.target, width: 0.5 + 4 * Math.min(1, e.weight) },
      })),
    ];
    box.hidden = false;
    if (cy) cy.destroy();
    cy = window.cytoscape({
      container: box,
      elements,
      layout: { name: elements.length > 400 ? "circle" : "cose", animate: false, randomize: false, padding: 20 },
      userZoomingEnabled: false,
      boxSelectionEnabled: false,
      style: [
        {
          selector: "node",
          style: {
            "background-color": "data(colour)",
            width: "data(size)",
            height: "data(size)",
            label: "data(label)",
            "font-size": 11,
            "text-valign": "bottom",
            "text-margin-y": 4,
            "text-background-color": "#ffffff",
            "text-background-opacity": 0.8,
          },
        },
        { selector: "edge", style: { width: "data(width)", "line-color": "#a9a6b8", opacity: 0.7 } },
      ],
    });
    box.dataset.nodes = String(snapshot.graph.nodes.length);
  }

  // --- the history ------------------------------------------------------------------------------

  function drawHistory(history) {
    const canvas = $("history-chart");
    if (!window.Chart || !canvas || !history.length) return;
    canvas.hidden = false;
    const labels = history.map((h) => h.tick);
    const datasets = [
      { label: "Circles", data: history.map((h) => h.communities), borderColor: "#0072B2" },
      { label: "Brokers", data: history.map((h) => h.brokers), borderColor: "#E69F00" },
      { label: "Alone", data: history.map((h) => h.isolates), borderColor: "#999999" },
      { label: "Feelings passed on", data: history.map((h) => h.transmissions), borderColor: "#D55E00" },
    ];
    if (chart) chart.destroy();
    chart = new window.Chart(canvas, {
      type: "line",
      data: { labels, datasets },
      options: { animation: false, scales: { x: { title: { display: true, text: "tick" } } } },
    });
  }

  function setUpSlider(history, snapshotId) {
    const slider = $("history-slider");
    if (!slider || !history.length) return;
    slider.hidden = false;
    slider.max = String(history.length - 1);
    const at = history.findIndex((h) => h.id === snapshotId);
    slider.value = String(at >= 0 ? at : history.length - 1);
    $("history-at").textContent = `tick ${history[Number(slider.value)].tick}`;
  }

  // --- the tables -------------------------------------------------------------------------------

  function renderTables(snapshot, history) {
    const colours = colourOf(snapshot.communities);
    const swatch = (community) => {
      const span = document.createElement("span");
      span.className = "swatch";
      span.style.background = colours.get(community) || "#bbbbbb";
      return span;
    };
    const tick = cell("span", String(snapshot.tick));
    tick.id = "snapshot-tick";
    $("snapshot-text").replaceChildren(
      snapshot.id ? "Snapshot at tick " : "Analysed now at tick ",
      tick,
      snapshot.id ? "." : ": snapshots are kept after the world ticks."
    );
    $("snapshot-info").dataset.snapshot = snapshot.id || "";
    $("snapshot-info").dataset.tick = String(snapshot.tick);
    $("modularity").textContent = String(snapshot.modularity);
    fill("findings", listItems(snapshot.findings.length ? snapshot.findings : ["Nothing to say yet: the characters have hardly met."]));
    fill(
      "communities",
      snapshot.communities.map((c) => {
        const tr = row([c.name, c.size, c.members.map((m) => m.name).join(", ") + (c.size > c.members.length ? ` (${c.size} in all)` : "")]);
        tr.dataset.community = c.id;
        tr.firstChild.prepend(swatch(c.id), " ");
        return tr;
      }),
      none("No circles yet.", 3)
    );
    fill(
      "influence",
      snapshot.influence.map((x) => {
        const circle = snapshot.communities.find((c) => c.id === x.community);
        const tr = row([x.name, circle ? circle.name : "—", x.influence.toFixed(2), x.betweenness.toFixed(3), x.degree]);
        tr.children[1].prepend(swatch(x.community), " ");
        [2, 3].forEach((i) => tr.children[i].classList.add("num"));
        return tr;
      })
    );
    fill("brokers", listItems(snapshot.brokers.length ? snapshot.brokers.map((b) => `${b.name} (betweenness ${b.betweenness.toFixed(3)})`) : ["No one links the circles."]));
    const alone = snapshot.isolates.characters.map((i) => i.name);
    fill("isolates", listItems(alone.length ? alone : ["No one stands alone."]));
    fill(
      "power",
      snapshot.power.map((x) => {
        const tr = row([x.name, x.power.toFixed(2), x.wins, x.losses]);
        tr.children[1].classList.add("num");
        return tr;
      }),
      none("No conflict has been decided yet.", 4)
    );
    fill("dominance", listItems(snapshot.dominance.map((d) => `${d.winner.name} prevails over ${d.loser.name} (${d.wins} to ${d.losses})`)));
    fill(
      "chains",
      listItems(
        snapshot.contagion.chains.length
          ? snapshot.contagion.chains.map((c) => `${c.emotion[0].toUpperCase()}${c.emotion.slice(1)}: ${c.path.map((p) => p.name).join(" → ")} (ticks ${c.ticks.join(", ")})`)
          : ["No feeling has spread from one character to another yet."]
      )
    );
    fill("spreaders", snapshot.contagion.spreaders.map((s) => row([s.name, s.emotion, s.count])), none("No one yet.", 3));
    fill(
      "history",
      history
        .slice()
        .reverse()
        .map((h) => {
          const tr = row([h.tick, h.communities, h.modularity, h.ties, h.brokers, h.isolates, h.top_influencer]);
          const link = document.createElement("a");
          link.href = `?at=${h.id}`;
          link.textContent = String(h.tick);
          tr.firstChild.replaceChildren(link);
          return tr;
        }),
      none("No snapshot kept yet.", 7)
    );
    renderHeatmap(snapshot);
  }

  function renderHeatmap(snapshot) {
    const table = $("heatmap");
    if (!table) return;
    const people = snapshot.heatmap.characters;
    const cells = new Map(snapshot.heatmap.cells.map((c) => [`${c.initiator} ${c.target}`, c]));
    const busiest = Math.max(1, ...snapshot.heatmap.cells.map((c) => c.count));
    const head = document.createElement("tr");
    head.append(cell("th", "From \\ to"), ...people.map((p) => cell("th", p.name)));
    head.querySelectorAll("th").forEach((th) => (th.scope = "col"));
    table.tHead.replaceChildren(head);
    fill(
      "heatmap",
      people.map((a) => {
        const tr = row([a.name]);
        for (const b of people) {
          const c = cells.get(`${a.id} ${b.id}`);
          const td = cell("td", c ? String(c.count) : "", "num");
          if (c) {
            const rgb = c.warmth >= 0 ? "0, 158, 115" : "213, 94, 0";
            td.style.background = `rgba(${rgb}, ${(0.15 + (0.75 * c.count) / busiest).toFixed(2)})`;
            td.title = `warmth ${c.warmth}`;
          }
          tr.append(td);
        }
        return tr;
      }),
      none("No one has talked yet.", 1)
    );
  }

  function render(body, { tables = true } = {}) {
    state = body;
    if (tables) renderTables(body.snapshot, body.history);
    drawGraph(body.snapshot);
    drawHistory(body.history);
    setUpSlider(body.history, body.snapshot.id);
  }

  async function load(at) {
    const url = at ? `${cfg.api}?at=${encodeURIComponent(at)}` : cfg.api;
    const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
    if (!response.ok) return;
    render(await response.json());
  }

  const slider = $("history-slider");
  if (slider) {
    slider.addEventListener("change", () => {
      const chosen = state.history[Number(slider.value)];
      if (chosen) load(chosen.id).catch(() => {});
    });
    slider.addEventListener("input", () => {
      const chosen = state.history[Number(slider.value)];
      if (chosen) $("history-at").textContent = `tick ${chosen.tick}`;
    });
  }

  render(state, { tables: false });

  D.followPage(cfg, (event) => {
    if (event.type === "ecosystem_status") D.showWorldStatus(event.data.status);
    if (event.type !== "social_updated" || cfg.pinned) return;
    if (slider && Number(slider.value) !== state.history.length - 1) return; // reading the past
    $("announcer").textContent = event.data.headline || "The society changed.";
    load().catch(() => {}); // the next update or a reload catches up
  });
})();
