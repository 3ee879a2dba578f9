// The player's page: one seat in one delegation. Connects with the seat token kept by the join
// page, folds the sync and the events, and draws the five tabs.
import { ChannelsView } from "./lib/channels.js";
import { Connection } from "./lib/connection.js";
import { $, announce, clockTime, duration, el, notify, paint, replace, store } from "./lib/dom.js";
import { injectCard, updateDeadlines } from "./lib/injects.js";
import { SessionModel } from "./lib/model.js";
import { setBadge, setupTabs } from "./lib/tabs.js";
import { SEAT_KEY } from "./lib/keys.js";
import { refreshRoster, refreshSeatCode, renderBriefing } from "./player/briefing.js";
import { NegotiationView } from "./player/negotiation.js";
import { renderSituation } from "./player/situation.js";
import { renderOutbox, renderStatus } from "./lib/status.js";

const seat = store.get(SEAT_KEY);
if (!seat || !seat.token) window.location.replace("/join");
else start(seat);

function start(seat) {
  const model = new SessionModel();
  const tabsList = $("#tabs");
  const panels = {
    briefing: $("#panel-briefing"),
    injects: $("#panel-injects"),
    channels: $("#panel-channels"),
    negotiation: $("#panel-negotiation"),
    situation: $("#panel-situation"),
  };
  const seenKey = `crisis-sim.seen-injects.${seat.session_id}.${seat.player?.id || ""}`;
  let seenInjects = new Set(store.get(seenKey, []));
  let lastEffects = null;
  let channels = null;
  let negotiation = null;
  let synced = false;

  // The tab bar sticks under the header, whose height depends on the width and the seat text.
  const header = $("#app-header");
  new ResizeObserver(() => document.documentElement.style.setProperty("--header-h", `${header.offsetHeight}px`)).observe(header);

  const tabs = setupTabs(tabsList, (name) => {
    if (name === "injects") markInjectsSeen();
    if (name === "channels") channels?.markRead();
  });

  const conn = new Connection({
    token: seat.token,
    onSync: (sync, fresh) => model.applySync(sync, fresh),
    onEvent: (event, fold) => model.applyEvent(event, fold),
    onHistory: (events) => model.applyHistory(events),
    onStatus: (status) => renderStatus($("#conn"), status),
    onRefused: (error) => refused(error),
    onOutbox: (items) => renderOutbox($("#outbox"), items, conn),
    onSignal: (name, data) => model.applySignal(name, data),
  });

  function refused(error) {
    if (error.code === "bad_token" || error.code === "session_deleted") {
      store.remove(SEAT_KEY);
      replace($("#banner"), el("p", { text: error.message }), el("a", { href: "/join?new=1", class: "button primary", text: "Join again" }));
      $("#banner").hidden = false;
    } else notify(error.message, "error");
  }

  // --- header and banner ----------------------------------------------------------------------
  function renderHeader() {
    const you = model.you;
    const delegation = model.delegation(you.delegation);
    const chip = $("#seat-delegation");
    chip.textContent = you.delegation;
    chip.title = delegation?.name || "";
    paint(chip, delegation?.colour);
    paint(document.body, delegation?.colour);
    $("#seat-name").textContent = you.name;
    $("#seat-role").textContent = `${you.role_title} · ${delegation?.name || you.delegation}`;
    $("#seat-lead").hidden = !you.lead;
    document.title = `${you.delegation} · ${you.name} — Crisis Simulation`;
  }

  function renderBanner() {
    const banner = $("#banner");
    const status = model.state.status;
    if (status === "lobby") {
      replace(banner, el("p", { text: "You are seated. The facilitator has not started the first move yet — read your briefing meanwhile." }));
    } else if (status === "paused") {
      replace(banner, el("p", { text: "The facilitator has paused the clock. Deadlines are stopped." }));
    } else if (status === "ended") {
      replace(banner, el("p", { text: "This session has ended. Thank you for playing." }),
        hotWash(),
        el("button", { type: "button", class: "secondary small", text: "Leave this seat", on: { click: () => { store.remove(SEAT_KEY); window.location.assign("/join?new=1"); } } }));
    }
    banner.className = `banner banner-${status}`;
    banner.hidden = status === "running";
  }

  /** The hot wash: three short questions on the student's own device when the session ends. */
  function hotWash() {
    if (!model.scenario.hot_wash) return null;
    if (model.state.hotwash_sent) return el("p", { class: "hotwash-done", text: "Your hot wash was sent to the facilitators. Thank you!" });
    const questions = [
      ["went_well", "What went well?"],
      ["to_improve", "What would you improve?"],
      ["surprised", "What surprised you?"],
    ];
    const boxes = questions.map(([key, label]) => {
      const id = `hotwash-${key}`;
      return [key, el("div", { class: "field" }, el("label", { for: id, text: label }),
        el("textarea", { id, rows: "2", maxlength: "1000" }))];
    });
    const form = el("form", { class: "hotwash-form card", "aria-labelledby": "hotwash-title", on: { submit: async (event) => {
      event.preventDefault();
      const fields = {};
      for (const [key, box] of boxes) {
        const text = box.querySelector("textarea").value.trim();
        if (text) fields[key] = text;
      }
      const ack = await conn.send("debrief.hotwash", fields);
      if (ack.ok) { model.state.hotwash_sent = true; renderBanner(); notify("Hot wash sent. Thank you!"); }
      else notify(ack.error.message, "error");
    } } },
    el("h2", { id: "hotwash-title", text: "Hot wash" }),
    el("p", { class: "muted small", text: "Only the facilitators read your answers; they appear in the session review." }),
    boxes.map(([, box]) => box),
    el("button", { type: "submit", class: "primary", text: "Send my hot wash" }));
    return form;
  }

  function tickClock() {
    if (!model.state) return;
    const move = model.currentMove();
    $("#move-title").textContent = move ? move.title.split("—")[0].trim() : "Lobby";
    const elapsed = model.moveElapsed();
    const length = move ? move.duration_minutes * 60 : 0;
    const status = model.state.status;
    $("#move-time").textContent = !move ? "not started"
      : `${duration(elapsed)} / ${duration(length)}${status === "paused" ? " · paused" : status === "ended" ? " · ended" : ""}`;
    updateDeadlines(model);
  }
  setInterval(tickClock, 1000);

  // --- injects feed -----------------------------------------------------------------------------
  function renderInjects() {
    const feed = $("#inject-feed");
    const injects = model.state.injects.slice().reverse();
    if (!injects.length) return;
    replace(feed, injects.map((inject) => {
      const card = injectCard(model, inject, {
        onRespond: (i) => { tabs.show("negotiation"); negotiation.focusInject(i.id); },
        onRequestTime: requestTime,
      });
      if (!seenInjects.has(inject.id)) card.classList.add("unseen");
      return card;
    }));
    updateInjectBadge();
  }

  /** Ask the White Cell for more time on an inject's deadline (one click; the console shows it). */
  async function requestTime(inject) {
    const ack = await conn.send("deadline.request_time", { inject_id: inject.id });
    if (ack.ok) notify("The White Cell has been asked for more time.");
    else notify(ack.error.message, "error");
    return ack.ok;
  }

  function updateInjectBadge() {
    const unseen = model.state.injects.filter((i) => !seenInjects.has(i.id)).length;
    setBadge(tabsList, "injects", unseen, "new injects");
    if (tabs.current() === "injects" && !document.hidden) markInjectsSeen();
  }

  function markInjectsSeen() {
    if (!model.state) return;
    const before = seenInjects.size;
    for (const inject of model.state.injects) seenInjects.add(inject.id);
    if (seenInjects.size !== before) {
      store.set(seenKey, Array.from(seenInjects));
      setTimeout(() => document.querySelectorAll(".inject.unseen").forEach((n) => n.classList.remove("unseen")), 4000);
    }
    setBadge(tabsList, "injects", 0, "new injects");
  }

  function updateNegotiationBadge() {
    if (negotiation) setBadge(tabsList, "negotiation", negotiation.awaiting(), "proposals awaiting your delegation");
  }

  // --- wiring -----------------------------------------------------------------------------------
  model.on("sync", () => {
    if (seat.player?.id && model.you.player_id !== seat.player.id) {
      seenInjects = new Set(); // another seat: nothing seen yet
    }
    store.set(SEAT_KEY, { ...seat, player: { ...seat.player, ...model.you }, session_id: model.session.id });
    renderHeader();
    renderBanner();
    renderBriefing(model, panels.briefing);
    renderInjects();
    if (!channels) {
      channels = new ChannelsView({
        model, conn, root: panels.channels,
        storageKey: `crisis-sim.read.${model.session.id}.${model.you.player_id}`,
        isVisible: () => tabs.current() === "channels",
        onUnread: (n) => setBadge(tabsList, "channels", n, "unread messages"),
      });
      channels.render(); // it missed this first sync
    }
    if (!negotiation || negotiation.delegation !== model.you.delegation) {
      negotiation = new NegotiationView(model, conn, panels.negotiation);
      negotiation.delegation = model.you.delegation;
    }
    negotiation.refresh();
    updateNegotiationBadge();
    renderSituation(model, panels.situation, lastEffects);
    tickClock();
    synced = true;
  });
  model.on("you", () => { renderHeader(); negotiation?.refresh(); });
  model.on("briefing", (update) => {
    renderBriefing(model, panels.briefing);
    if (synced && update) notify("Your briefing has an update for this move (Briefing tab).");
  });
  model.on("players", () => refreshRoster(model, panels.briefing));
  model.on("presence", () => refreshRoster(model, panels.briefing));
  model.on("seat_code", () => refreshSeatCode(model, panels.briefing));
  model.on("seat_moved", (data) => {
    // Another device took this seat with its seat code: this page lets go of it for good.
    conn.stop();
    store.remove(SEAT_KEY);
    const banner = $("#banner");
    replace(banner, el("p", { text: `${data.message} To play here again, enter the join code and your seat code on the join page.` }),
      el("a", { href: "/join?new=1&reclaim=1", class: "button primary", text: "Use this device instead" }));
    banner.className = "banner banner-moved";
    banner.hidden = false;
    banner.scrollIntoView({ block: "nearest" });
  });
  model.on("automatic", () => refreshRoster(model, panels.briefing));
  model.on("clock", () => { renderBanner(); renderBriefing(model, panels.briefing); renderInjects(); negotiation?.refresh(); tickClock(); });
  model.on("injects", () => {
    renderInjects();
    negotiation?.refresh();
  });
  // Only a real firing is "new"; a deadline extended, closed or met says what changed instead.
  model.on("inject_fired", (inject) => {
    if (!synced || seenInjects.has(inject.id)) return;
    notify(`New inject at ${clockTime(inject.fired_at)}: ${inject.title}`);
    announce(`New inject: ${inject.title}`);
  });
  model.on("inject_changed", ({ inject, change }) => {
    if (!synced) return;
    const text = {
      extended: `Deadline extended: “${inject.title}” now closes at ${clockTime(inject.deadline_at)}.`,
      expired: `Deadline reached: “${inject.title}” closed without a joint response.`,
      adopted: `“${inject.title}”: a joint response was adopted.`,
    }[change];
    if (text) { notify(text); announce(text); }
  });
  const proposalStatus = new Map();
  model.on("sync", () => { for (const p of model.state.proposals) proposalStatus.set(p.id, p.status); });
  model.on("proposal", (proposal) => {
    negotiation?.showProposal(proposal);
    updateNegotiationBadge();
    renderSituation(model, panels.situation, lastEffects);
    const before = proposalStatus.get(proposal.id);
    proposalStatus.set(proposal.id, proposal.status);
    if (!synced) return;
    const about = proposal.inject_id ? model.inject(proposal.inject_id)?.title : "";
    if (before === undefined) announce(`New proposal ${proposal.id} from ${proposal.delegation}${about ? ` on “${about}”` : ""}.`);
    else if (before !== "adopted" && proposal.status === "adopted") announce(`Proposal ${proposal.id} adopted: it is the joint response${about ? ` to “${about}”` : ""}.`);
  });
  for (const kind of ["indicators", "scores", "statements", "rulings"]) {
    model.on(kind, (detail) => {
      if (detail?.effects) lastEffects = detail.effects;
      renderSituation(model, panels.situation, lastEffects);
    });
  }
  model.on("moved", () => {
    // Our seat changed (or was removed): the server re-reads it and our rooms on reconnect,
    // and we ask for the whole history again, since the new delegation's past is new to us.
    notify("The facilitator changed your seat; reconnecting…");
    model.messages.clear();
    conn.reconnect({ fromStart: true });
  });
  document.addEventListener("visibilitychange", () => {
    if (document.hidden) return;
    if (tabs.current() === "injects") markInjectsSeen();
    channels?.markRead();
  });
}
