/* The story board, live: tension, status and predictions follow story_updated events; a new
   story is announced with a link (the page is server-rendered, so it shows after a reload). */
(function () {
  "use strict";

  const D = window.Dramatis;
  const cfg = D.config();
  if (!cfg) return;

  function update(card, d) {
    const status = card.querySelector('[data-field="status"]');
    if (status && d.status) {
      status.textContent = d.status.charAt(0).toUpperCase() + d.status.slice(1);
      status.className = `status status-story-${d.status}`;
    }
    const meter = card.querySelector('[data-field="tension"]');
    if (meter && d.tension !== undefined) meter.value = d.tension;
    const pct = card.querySelector('[data-field="tension-pct"]');
    if (pct && d.tension !== undefined) pct.textContent = `${Math.round(d.tension * 100)}%`;
    const predictions = card.querySelector('[data-field="predictions"]');
    if (predictions && d.predictions && d.predictions.length) {
      predictions.replaceChildren(...d.predictions.map((text) => {
        const item = document.createElement("li");
        item.textContent = text;
        return item;
      }));
    }
  }

  function onEvent(event) {
    const d = event.data || {};
    if (event.type === "ecosystem_status") D.showWorldStatus(d.status);
    if (event.type !== "story_detected" && event.type !== "story_updated") return;
    const card = document.querySelector(`[data-story="${d.story_id}"]`);
    if (card) {
      update(card, d);
      return;
    }
    const box = document.getElementById("announcer");
    box.replaceChildren(`${D.describe(event.type, d)}. `);
    const link = document.createElement("a");
    link.href = window.location.pathname + window.location.search;
    link.textContent = "Reload to see it";
    box.append(link);
    box.classList.add("shown");
  }

  const connection = document.getElementById("connection");
  const stream = D.openStream({
    path: cfg.ws,
    after: cfg.after,
    onEvent,
    onState: (state, info) => D.showConnection(connection, state, info),
  });
  window.Dramatis.stream = stream;
  window.addEventListener("pagehide", () => stream.stop());
})();
