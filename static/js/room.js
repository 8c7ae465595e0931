/* A live room over /ws/conversations/<id>/: messages as they are said, who is here, who is
   typing (people) or composing (characters). Reconnects with backoff and resumes from the last
   seq it showed: the server replays what was missed, and any message at or below that seq is
   dropped, so nothing is lost or shown twice. Without JavaScript the page's forms still work. */
(function () {
  "use strict";

  const RETRY_MS = [500, 1000, 2000, 4000, 8000, 15000];
  const PING_MS = 25000;
  const TYPING_SHOWN_MS = 4000; // a typing or composing line lapses unless renewed
  const TYPING_SEND_MS = 2000; // tell the others at most this often while typing

  const config = JSON.parse(document.getElementById("room-config").textContent);
  const list = document.getElementById("room-messages");
  const people = document.getElementById("room-people");
  const typingLine = document.getElementById("typing");
  const form = document.getElementById("say-form");
  const box = document.getElementById("say");
  const errorLine = document.getElementById("say-error");
  const connection = document.getElementById("connection");

  let last = Number(config.after) || 0;
  let socket = null;
  let attempts = 0;
  let retryTimer = null;
  let pingTimer = null;
  let typingSent = 0;
  const typing = new Map(); // who -> {kind, until}

  function state(name, text) {
    if (!connection) return;
    connection.dataset.state = name;
    connection.querySelector(".connection-text").textContent = text;
  }

  function showMessage(m) {
    if (m.seq <= last) return; // already shown: a replay overlapping the live frames
    last = m.seq;
    const item = document.createElement("li");
    item.className = `turn turn-${m.speaker_kind}`;
    item.dataset.seq = String(m.seq);
    if (m.speaker_kind === "system") {
      const em = document.createElement("em");
      em.textContent = m.text;
      item.append(em);
    } else {
      const who = document.createElement("strong");
      who.textContent = `${m.name}:`;
      item.append(who, ` ${m.text}`);
    }
    item.id = `turn-${m.seq}`;
    const marker = document.getElementById("latest"); // the newest turn's anchor moves on
    const anchor = marker || document.createElement("span");
    anchor.id = "latest";
    item.prepend(anchor);
    list.append(item);
    typing.delete(m.name); // whoever spoke is no longer typing
    renderTyping();
    item.scrollIntoView({ block: "nearest" });
  }

  function renderTyping() {
    const now = Date.now();
    const lines = [];
    for (const [who, t] of typing) {
      if (t.until < now) {
        typing.delete(who);
        continue;
      }
      lines.push(t.kind === "character" ? `${who} is composing…` : `${who} is typing…`);
    }
    typingLine.textContent = lines.join(" ");
  }
  setInterval(renderTyping, 1000);

  function showPeople(names) {
    people.replaceChildren(
      ...names.map((n) => {
        const li = document.createElement("li");
        li.textContent = n;
        return li;
      }),
    );
  }

  function onFrame(frame) {
    if (frame.type === "message") showMessage(frame.message);
    else if (frame.type === "presence") showPeople(frame.people || []);
    else if (frame.type === "typing") {
      typing.set(frame.who, { kind: frame.kind, until: Date.now() + TYPING_SHOWN_MS });
      renderTyping();
    } else if (frame.type === "error") {
      errorLine.textContent = frame.error.message;
      errorLine.hidden = false;
    }
  }

  function connect() {
    clearTimeout(retryTimer);
    retryTimer = null;
    state(attempts ? "reconnecting" : "connecting", attempts ? "Reconnecting…" : "Connecting…");
    const scheme = window.location.protocol === "https:" ? "wss" : "ws";
    socket = new WebSocket(`${scheme}://${window.location.host}${config.path}?after=${last}`);
    socket.addEventListener("open", () => {
      attempts = 0;
      state("live", "Live");
      clearInterval(pingTimer);
      pingTimer = setInterval(() => send({ type: "ping" }), PING_MS);
    });
    socket.addEventListener("message", (message) => {
      try {
        onFrame(JSON.parse(message.data));
      } catch (err) {
        /* a frame this page does not understand */
      }
    });
    socket.addEventListener("close", (closed) => {
      clearInterval(pingTimer);
      if (closed.code === 4401 || closed.code === 4404) {
        state("denied", "You are no longer in this room. Reload to join again.");
        return;
      }
      const wait = RETRY_MS[Math.min(attempts, RETRY_MS.length - 1)];
      attempts += 1;
      state("reconnecting", `Connection lost: reconnecting in ${Math.ceil(wait / 1000)} s (resuming after message ${last})`);
      retryTimer = setTimeout(connect, wait);
    });
  }

  function send(frame) {
    if (socket && socket.readyState === WebSocket.OPEN) {
      socket.send(JSON.stringify(frame));
      return true;
    }
    return false;
  }

  box.addEventListener("input", () => {
    const now = Date.now();
    if (now - typingSent >= TYPING_SEND_MS && send({ type: "typing" })) typingSent = now;
  });
  box.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
  form.addEventListener("submit", (event) => {
    const text = box.value.trim();
    if (!text) return;
    // Live: say it over the socket; offline, the form posts and the page reloads.
    if (send({ type: "say", text })) {
      event.preventDefault();
      box.value = "";
      errorLine.hidden = true;
      typingSent = 0;
    }
  });

  function hurry() {
    if (retryTimer) connect();
  }
  window.addEventListener("online", hurry);
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") hurry();
  });

  /* For tests and the curious: drop the connection as a network failure would. */
  window.dramatisRoom = {
    get lastSeq() {
      return last;
    },
    drop() {
      if (socket) socket.close();
    },
  };

  connect();
})();
