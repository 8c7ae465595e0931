/* The story board, live: on story_detected / story_updated the story's card is fetched as the
   server renders it (/worlds/<id>/stories/<story>/card/) and swapped in, or added at the top;
   a story that leaves the board's status filter is taken off it. */
(function () {
  "use strict";

  const D = window.Dramatis;
  const cfg = D.config();
  if (!cfg) return;

  // The board's status filter ("" = all; "live" = not yet resolved or fizzled).
  const filter = new URLSearchParams(window.location.search).get("status") || "";
  const LIVE = ["brewing", "developing", "climax"];
  const pending = new Map(); // story id -> timer: a burst of updates fetches the card once

  function shows(status) {
    if (!filter) return true;
    return filter === "live" ? LIVE.includes(status) : filter === status;
  }

  async function refresh(storyId, status) {
    const card = document.querySelector(`[data-story="${storyId}"]`);
    if (!shows(status)) {
      if (card) card.remove();
      return;
    }
    const response = await fetch(`${window.location.pathname}${storyId}/card/`, {
      headers: { Accept: "text/html" },
      credentials: "same-origin",
    });
    if (!response.ok) return;
    const holder = document.createElement("div");
    holder.innerHTML = (await response.text()).trim();
    const fresh = holder.firstElementChild;
    if (!fresh) return;
    const current = document.querySelector(`[data-story="${storyId}"]`);
    if (current) {
      current.replaceWith(fresh);
    } else {
      const board = document.querySelector(".stories");
      board.querySelector(".empty")?.remove();
      board.prepend(fresh);
    }
  }

  function onEvent(event) {
    const d = event.data || {};
    if (event.type === "ecosystem_status") D.showWorldStatus(d.status);
    if (event.type !== "story_detected" && event.type !== "story_updated") return;
    if (event.type === "story_detected") {
      document.getElementById("announcer").textContent = `${D.describe(event.type, d)}.`;
    }
    clearTimeout(pending.get(d.story_id));
    pending.set(d.story_id, setTimeout(() => {
      pending.delete(d.story_id);
      refresh(d.story_id, d.status).catch(() => {}); // the next event or a reload catches up
    }, 250));
  }

  D.followPage(cfg, onEvent);
})();
