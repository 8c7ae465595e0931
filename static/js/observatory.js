/* The Observatory, live: the relationship graph, the activity feed, the conversation panel and
   the header figures follow the world's event stream. The server-rendered page underneath works
   on its own; this only keeps it current. */
(function () {
  "use strict";

  const D = window.Dramatis;
  const cfg = D.config();
  if (!cfg) return;

  const FEED_MAX = 100;
  const TALK_MAX = 30;
  const watch = new Set(cfg.watch || []);
  const $ = (id) => document.getElementById(id);
  const feed = $("feed");
  const talk = $("conversation");
  const names = new Map(cfg.graph.nodes.map((n) => [n.id, n.name]));

  const EMOTION_COLOURS = cfg.emotionColours;

  // --- the graph -------------------------------------------------------------------------------

  let cy = null;
  const G = window.DramatisGraph;

  function nodeData(node) {
    return {
      id: node.id,
      name: node.name,
      emotion: node.emotion,
      label: `${node.name}\n${node.emotion}`,
      colour: EMOTION_COLOURS[node.emotion] || EMOTION_COLOURS.calm,
      url: node.url,
    };
  }

  const edgeData = (edge) => G.edgeData(edge, cfg.colours);

  function buildGraph() {
    if (!G) return;
    cy = G.draw(
      $("graph"),
      [
        ...cfg.graph.nodes.map((n) => ({ group: "nodes", data: nodeData(n) })),
        ...cfg.graph.edges.map((e) => ({ group: "edges", data: edgeData(e) })),
      ],
      G.style({
        nodes: {
          "background-color": "data(colour)",
          "border-color": "#1d1b26",
          "border-width": 1.5,
          width: 42,
          height: 42,
        },
        more: [{ selector: ".flash", style: { "border-width": 5, "border-color": "#f0a400" } }],
      }),
    );
    if (!cy) return;
    cy.on("tap", "node", (tap) => {
      const url = tap.target.data("url");
      if (url) window.location.assign(url);
    });
  }

  function flash(id) {
    if (!cy) return;
    const node = cy.getElementById(id);
    if (!node.nonempty()) return;
    node.addClass("flash");
    setTimeout(() => node.removeClass("flash"), 1200);
  }

  function setEmotion(id, emotion) {
    if (cy) {
      const node = cy.getElementById(id);
      if (node.nonempty()) node.data(nodeData({ id, name: node.data("name"), emotion, url: node.data("url") }));
    }
    for (const label of document.querySelectorAll(`.emotion[data-character="${id}"]`)) {
      label.firstElementChild.dataset.emotion = emotion;
      label.querySelector(".emotion-name").textContent = emotion;
    }
  }

  function setEdge(data) {
    if (!cy || !data.source || !data.target) return;
    const edge = {
      id: `${data.source.id}>${data.target.id}`,
      source: data.source.id,
      target: data.target.id,
      kind: data.kind,
      strength: data.strength,
    };
    const existing = cy.getElementById(edge.id);
    if (existing.nonempty()) existing.data(edgeData(edge));
    else if (cy.getElementById(edge.source).nonempty() && cy.getElementById(edge.target).nonempty()) {
      cy.add({ group: "edges", data: edgeData(edge) });
    }
  }

  // --- the feed and the conversation panel -------------------------------------------------------

  function li(className, seq) {
    const item = document.createElement("li");
    item.className = className;
    item.dataset.seq = seq;
    return item;
  }

  function span(className, text) {
    const element = document.createElement("span");
    element.className = className;
    element.textContent = text;
    return element;
  }

  function prepend(list, item, max) {
    const empty = list.querySelector(".empty-note");
    if (empty) empty.remove();
    list.prepend(item);
    while (list.children.length > max) list.lastElementChild.remove();
  }

  // The world clock at an event's tick ("Tue 09:15", as the server-rendered page words it):
  // readers see when it happened in the world, not the engine's tick number.
  const clockStart = cfg.clock ? Date.parse(cfg.clock.start) : NaN;
  function when(tick) {
    const element = document.createElement("time");
    element.className = "when";
    if (Number.isNaN(clockStart)) return element;
    const moment = new Date(clockStart + Number(tick) * cfg.clock.minutesPerTick * 60000);
    element.dateTime = moment.toISOString();
    const day = moment.toLocaleDateString("en-GB", { weekday: "short", timeZone: "UTC" });
    const time = moment.toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit", timeZone: "UTC" });
    element.textContent = `${day} ${time}`;
    return element;
  }

  function addToFeed(event) {
    const item = li(`feed-item kind-${event.type} new`, event.seq);
    item.append(when(event.tick), " ", span("kind", D.words(event.type)), " ", span("text", D.describe(event.type, event.data)));
    prepend(feed, item, FEED_MAX);
  }

  function speakerLine(person, emotion, text, reply) {
    const p = document.createElement("p");
    p.className = reply ? "line reply" : "line";
    const who = document.createElement("strong");
    who.textContent = person.name;
    const emo = span("emo", "");
    emo.title = emotion;
    const mark = span("emo-dot", "");
    mark.dataset.emotion = emotion;
    mark.setAttribute("aria-hidden", "true");
    emo.append(mark, ` ${emotion}`);
    p.append(who, " ", emo, document.createElement("br"), text);
    return p;
  }

  function addConversation(event) {
    const d = event.data;
    const people = d.participants || [];
    if (people.length < 2) return;
    const states = d.emotional_states || {};
    const item = li("bubble new", event.seq);
    const head = document.createElement("p");
    head.className = "bubble-head";
    head.append(span("act", D.words(d.interaction_type)), " · ", when(event.tick));
    item.append(head);
    const [a, b] = [people[0], people[people.length - 1]];
    item.append(speakerLine(a, D.dominant(states[a.id]), d.content ? `“${d.content}”` : d.summary || "", false));
    if (d.response) item.append(speakerLine(b, D.dominant(states[b.id]), `“${d.response}”`, true));
    const delta = d.relationship_change && d.relationship_change.strength_delta;
    if (delta) {
      const note = document.createElement("p");
      note.className = "rel-note";
      note.textContent = `${a.name} → ${b.name}: strength ${D.signed(delta)}`;
      item.append(note);
    }
    prepend(talk, item, TALK_MAX);
  }

  function addRelationshipNote(event) {
    const item = li("rel-change new", event.seq);
    item.textContent = `Relationship: ${D.describe(event.type, event.data)}`;
    prepend(talk, item, TALK_MAX);
  }

  function announce(text) {
    const box = $("announcer");
    box.textContent = text;
    box.classList.add("shown");
  }

  // --- events ----------------------------------------------------------------------------------

  function setText(id, text) {
    const element = $(id);
    if (element) element.textContent = text;
  }

  function onEvent(event) {
    const d = event.data || {};
    const relevant = !watch.size || [...D.mentions(d)].some((id) => watch.has(id));
    if (relevant && event.type !== "tick") addToFeed(event);
    switch (event.type) {
      case "character_interaction": {
        if (relevant) addConversation(event);
        for (const [id, state] of Object.entries(d.emotional_states || {})) setEmotion(id, D.dominant(state));
        for (const p of d.participants || []) flash(p.id);
        break;
      }
      case "relationship_changed":
        setEdge(d);
        if (relevant) addRelationshipNote(event);
        break;
      case "emotion_changed":
        if (d.character) setEmotion(d.character.id, d.dominant);
        break;
      case "tick": {
        setText("fig-tick", d.tick);
        setText("fig-conversations", d.interactions ?? 0);
        if (d.world_clock) {
          const clock = new Date(d.world_clock);
          const element = $("fig-clock");
          element.dateTime = d.world_clock;
          element.textContent = clock.toLocaleString("en-GB", {
            weekday: "long", day: "numeric", month: "long", year: "numeric",
            hour: "2-digit", minute: "2-digit", timeZone: "UTC",
          });
        }
        break;
      }
      case "scenario_started": {
        const primary = d.objectives && d.objectives.primary ? ` — ${d.objectives.primary}` : "";
        announce(`Scenario started: ${d.title}${primary}`);
        break;
      }
      case "director_intervention":
        announce(D.describe(event.type, d));
        break;
      case "story_detected": {
        const link = document.querySelector("#fig-stories a");
        if (link) link.textContent = String(Number(link.textContent) + 1);
        break;
      }
      case "ecosystem_status":
        D.showWorldStatus(d.status);
        break;
      default:
        break;
    }
  }

  buildGraph();
  D.followPage(cfg, onEvent);
  const result = $("act-result");
  if (result) D.enhanceForms(document, result);
})();
