/* The Director, live: objective progress follows goal_progress events; scenario starts and
   interventions are announced; "direct scene" posts without leaving the page. */
(function () {
  "use strict";

  const D = window.Dramatis;
  const cfg = D.config();
  if (!cfg) return;

  function onEvent(event) {
    const d = event.data || {};
    if (event.type === "ecosystem_status") D.showWorldStatus(d.status);
    if (event.type === "goal_progress" && d.goal_key) {
      const pct = Math.round(100 * Math.max(0, Math.min(1, Number(d.progress_after) || 0)));
      const who = d.character ? d.character.id : d.character_id;
      for (const bar of document.querySelectorAll(`progress[data-goal-key="${CSS.escape(d.goal_key)}"]`)) {
        if (who && bar.dataset.character !== who) continue;
        bar.value = pct;
        bar.textContent = `${pct}%`;
      }
      for (const label of document.querySelectorAll(`[data-goal-pct="${CSS.escape(d.goal_key)}"]`)) {
        if (who && label.dataset.character !== who) continue;
        label.textContent = `${pct}%`;
      }
    } else if (event.type === "scenario_started" || event.type === "director_intervention") {
      const box = document.getElementById("announcer");
      box.textContent = D.describe(event.type, d);
      box.classList.add("shown");
    }
  }

  D.followPage(cfg, onEvent);
  const result = document.getElementById("scene-result");
  if (result) D.enhanceForms(document, result);
})();
