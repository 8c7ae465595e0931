/* The live event stream of one world, shared by the Observatory, the Director and the story
   board. Reconnects with backoff and resumes from the last seq it saw: the server replays what
   was missed, and any frame at or below the last seq is dropped, so nothing is lost or doubled. */
(function () {
  "use strict";

  const RETRY_MS = [500, 1000, 2000, 4000, 8000, 15000];
  const PING_MS = 25000;

  function openStream(options) {
    const { path, after, onEvent, onState, onPresence } = options;
    let last = Number(after) || 0;
    let socket = null;
    let attempts = 0;
    let retryTimer = null;
    let pingTimer = null;
    let stopped = false;

    function connect() {
      clearTimeout(retryTimer);
      retryTimer = null;
      const scheme = window.location.protocol === "https:" ? "wss" : "ws";
      onState(attempts ? "reconnecting" : "connecting", { last });
      const presence = onPresence ? "&presence=1" : "";
      socket = new WebSocket(`${scheme}://${window.location.host}${path}?after=${last}${presence}`);
      socket.addEventListener("open", () => {
        attempts = 0;
        onState("live", { last });
        clearInterval(pingTimer);
        pingTimer = setInterval(() => {
          if (socket.readyState === WebSocket.OPEN) socket.send('{"type": "ping"}');
        }, PING_MS);
      });
      socket.addEventListener("message", (message) => {
        let frame;
        try {
          frame = JSON.parse(message.data);
        } catch (err) {
          return;
        }
        if (frame.type === "presence" && onPresence) onPresence(frame);
        if (frame.type !== "ecosystem_event") return;
        const event = frame.event;
        if (event.seq <= last) return; // already shown: a replay overlapping the live stream
        last = event.seq;
        onEvent(event);
      });
      socket.addEventListener("close", (closed) => {
        clearInterval(pingTimer);
        if (stopped) return;
        if (closed.code === 4401 || closed.code === 4404) {
          onState("denied", { last });
          return;
        }
        const wait = RETRY_MS[Math.min(attempts, RETRY_MS.length - 1)];
        attempts += 1;
        onState("reconnecting", { last, wait });
        retryTimer = setTimeout(connect, wait);
      });
    }

    // Back online or back from a sleeping tab: do not wait for the backoff.
    function hurry() {
      if (stopped || !retryTimer) return;
      connect();
    }
    window.addEventListener("online", hurry);
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "visible") hurry();
    });

    connect();
    return {
      get lastSeq() {
        return last;
      },
      /* Drop the connection as a network failure would (the page then resumes by seq). */
      drop() {
        if (socket) socket.close();
      },
      stop() {
        stopped = true;
        if (socket) socket.close();
      },
    };
  }

  const CONNECTION_TEXT = {
    connecting: "Connecting…",
    live: "Live",
    reconnecting: "Connection lost: reconnecting…",
    denied: "This world's stream is not available to you.",
    offline: "Offline",
  };

  /* Shows the connection state in an element with .dot and .connection-text children. */
  function showConnection(element, state, info) {
    if (!element) return;
    element.dataset.state = state;
    let text = CONNECTION_TEXT[state] || state;
    if (state === "reconnecting" && info && info.wait) {
      text = `Connection lost: reconnecting in ${Math.ceil(info.wait / 1000)} s (resuming after event ${info.last})`;
    }
    element.querySelector(".connection-text").textContent = text;
  }

  const name = (ref) => (ref && ref.name) || "someone";
  const words = (value) => String(value || "").replace(/_/g, " ");
  const signed = (value) => (value >= 0 ? "+" : "") + Number(value || 0).toFixed(2);

  /* One plain sentence per event: mirrors ecosystems/feed.py event_line. */
  function describe(kind, data) {
    switch (kind) {
      case "character_interaction": {
        const people = data.participants || [{}, {}];
        return data.summary || `${name(people[0])} and ${name(people[people.length - 1])}: ${words(data.interaction_type)}`;
      }
      case "relationship_changed": {
        const who = `${name(data.source)} → ${name(data.target)}`;
        if (data.previous_kind && data.kind && data.previous_kind !== data.kind) {
          return `${who}: ${words(data.previous_kind)} became ${words(data.kind)}`;
        }
        return `${who}: now ${words(data.kind)} (strength ${signed(data.strength)})`;
      }
      case "emotion_changed":
        return `${name(data.character)} now feels mostly ${data.dominant || ""}`;
      case "goal_progress":
        return `${name(data.character)}: ${data.text || data.description || ""}`;
      case "memory_reflection": {
        const insights = data.insights || [];
        return `${name(data.character)} reflected: ${insights.length ? insights[0].content : "a new insight"}`;
      }
      case "memory_consolidated":
        return `${name(data.character)} consolidated ${data.memory_count || 0} memories`;
      case "alliance_formed":
        return `Alliance formed: ${data.name || ""}`;
      case "alliance_broken":
        return `Alliance broke: ${data.name || ""}`;
      case "story_detected":
      case "story_updated":
        return `${kind === "story_detected" ? "New story" : "Story"}: ${data.title || ""}${data.status ? ` (${data.status})` : ""}`;
      case "scenario_started":
        return `Scenario started: ${data.title || ""}`;
      case "director_intervention":
        return `Director: ${data.text || ""}`;
      case "ecosystem_status":
        return `The world is now ${data.status || ""}`;
      case "tick":
        return `Tick ${data.tick}`;
      case "gossip_spread":
        return data.text || `${name(data.teller)} told ${name(data.listener)} a rumour`;
      case "conflict_escalated":
        return `Conflict escalated between ${name(data.initiator)} and ${name(data.target)}`;
      case "lore_changed":
        return `Lore ${data.change || "changed"}: ${data.title || "an entry"}`;
      case "social_updated":
        return `Society: ${data.headline || "the circles were taken stock of again"}`;
      default:
        return words(kind);
    }
  }

  /* The character ids an event is about: mirrors ecosystems/feed.py event_mentions. */
  function mentions(data) {
    const ids = new Set();
    for (const key of ["participants", "characters", "members"]) {
      for (const ref of data[key] || []) if (ref && ref.id) ids.add(String(ref.id));
    }
    for (const key of ["source", "target", "character", "teller", "listener", "subject", "initiator"]) {
      const ref = data[key];
      if (ref && typeof ref === "object" && ref.id) ids.add(String(ref.id));
    }
    if (data.character_id) ids.add(String(data.character_id));
    return ids;
  }

  /* A character's mood as the server defines it (characters.engine.emotions.mood_name): the
     strongest emotion, the first in the server's order on a tie, or "calm" below calmBelow;
     both come with the page's live config (its "mood"). */
  function dominant(emotions) {
    const { calmBelow, order } = (config() || {}).mood;
    let best = "calm";
    let level = -1;
    for (const key of order) {
      const value = Number((emotions || {})[key] || 0);
      if (value > level) {
        best = key;
        level = value;
      }
    }
    return level < calmBelow ? "calm" : best;
  }

  /* Enhances forms marked data-enhance: post with fetch and show the answer in `output`. */
  function enhanceForms(root, output, onDone) {
    for (const form of root.querySelectorAll("form[data-enhance]")) {
      form.addEventListener("submit", async (submit) => {
        submit.preventDefault();
        const button = form.querySelector("button[type=submit]");
        if (button) button.disabled = true;
        output.textContent = "Sending…";
        output.dataset.ok = "";
        try {
          const response = await fetch(form.action, {
            method: "POST",
            body: new FormData(form),
            headers: { Accept: "application/json" },
            credentials: "same-origin",
          });
          const answer = await response.json();
          output.textContent = answer.message;
          output.dataset.ok = answer.ok ? "yes" : "no";
          if (answer.ok && onDone) onDone(form, answer);
        } catch (err) {
          output.textContent = "Could not reach the server; try again.";
          output.dataset.ok = "no";
        } finally {
          if (button) button.disabled = false;
        }
      });
    }
  }

  /* The world's status badge and its start/pause button follow ecosystem_status events. */
  function showWorldStatus(status) {
    const badge = document.getElementById("world-status");
    if (badge) {
      badge.textContent = status.charAt(0).toUpperCase() + status.slice(1);
      badge.className = `status status-${status}`;
    }
    const form = document.querySelector(".run-control form");
    if (!form || (status !== "running" && status !== "paused")) return;
    const running = status === "running";
    form.action = form.action.replace(running ? /start\/$/ : /pause\/$/, running ? "pause/" : "start/");
    const button = form.querySelector("button");
    button.textContent = running ? "Pause world" : "Start world";
    button.className = running ? "button" : "button primary";
  }

  function config() {
    const element = document.getElementById("live-config");
    return element ? JSON.parse(element.textContent) : null;
  }

  /* Who is watching the world with you (a presence frame): names for the owner, a count for
     visitors. */
  function showWatching(element, frame) {
    if (!element) return;
    const others = Math.max(0, frame.count - 1);
    let text = "Only you are watching";
    if (others) {
      text = `${frame.count} watching now`;
      if (frame.watching && frame.watching.length) text += `: ${frame.watching.join(", ")}`;
    }
    element.textContent = text;
    element.dataset.count = String(frame.count);
    element.hidden = false;
  }

  /* A live page's stream: the page's config (live-config), its #connection badge and #viewers
     line, stopped when the page goes away; kept on window.Dramatis.stream for the page's other
     scripts. */
  function followPage(cfg, onEvent) {
    const connection = document.getElementById("connection");
    const viewers = document.getElementById("viewers");
    const stream = openStream({
      path: cfg.ws,
      after: cfg.after,
      onEvent,
      onState: (state, info) => showConnection(connection, state, info),
      onPresence: (frame) => showWatching(viewers, frame),
    });
    window.Dramatis.stream = stream;
    window.addEventListener("pagehide", () => stream.stop());
    return stream;
  }

  window.Dramatis = { openStream, followPage, showConnection, describe, mentions, dominant, enhanceForms, config, showWorldStatus, words, signed };
})();
