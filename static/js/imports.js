/* The progress bar of a book import: live from /ws/imports/<id>/, or from the API every two
   seconds when the socket cannot open. Once the analysis is done or failed the page reloads to
   show the review (or the error). Without JavaScript the page reloads itself (<noscript>). */
(function () {
  "use strict";

  const POLL_MS = 2000;
  // Even with the socket open, ask the API now and then: the channel layer may drop a frame,
  // and the last one (done) matters.
  const SAFETY_POLL_MS = 10000;
  const box = document.getElementById("import-progress");
  if (!box) return;
  const id = box.dataset.importId;
  const bar = document.getElementById("import-bar");
  const percent = document.getElementById("import-percent");
  const status = document.getElementById("import-status");
  const stage = document.getElementById("import-stage");
  let finished = false;
  let pollTimer = null;

  function show(item) {
    if (finished) return;
    bar.value = item.progress;
    const pct = Math.round(item.progress * 100);
    bar.textContent = `${pct} %`;
    percent.textContent = `${pct} %`;
    status.textContent = item.status.charAt(0).toUpperCase() + item.status.slice(1);
    status.className = `status status-${item.status}`;
    stage.textContent = item.stage;
    box.dataset.status = item.status;
    if (item.status === "done" || item.status === "failed") {
      finished = true;
      window.setTimeout(() => window.location.reload(), 300);
    }
  }

  function poll() {
    clearTimeout(pollTimer);
    fetch(`/api/v1/imports/${id}/`, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then((response) => (response.ok ? response.json() : null))
      .then((item) => {
        if (item) show(item);
      })
      .catch(() => {})
      .finally(() => {
        if (!finished) pollTimer = setTimeout(poll, POLL_MS);
      });
  }

  function listen() {
    const scheme = window.location.protocol === "https:" ? "wss" : "ws";
    let socket;
    try {
      socket = new WebSocket(`${scheme}://${window.location.host}/ws/imports/${id}/`);
    } catch (err) {
      poll();
      return;
    }
    socket.addEventListener("message", (message) => {
      try {
        const frame = JSON.parse(message.data);
        if (frame.type === "import_progress") show(frame.import);
      } catch (err) {
        /* not a frame of ours */
      }
    });
    socket.addEventListener("close", () => {
      if (!finished) poll(); // the socket is gone: ask the API until the end
    });
  }

  listen();
  window.setInterval(() => {
    if (!finished && !pollTimer) {
      fetch(`/api/v1/imports/${id}/`, { credentials: "same-origin" })
        .then((response) => (response.ok ? response.json() : null))
        .then((item) => item && show(item))
        .catch(() => {});
    }
  }, SAFETY_POLL_MS);
})();
