// The facilitator's console for one session: clock and controls, codes, inject timeline,
// proposals, channel monitor, roster and adjudication.
import { ChannelsView } from "./lib/channels.js";
import { Connection } from "./lib/connection.js";
import { $, $$, duration, notify } from "./lib/dom.js";
import { updateDeadlines } from "./lib/injects.js";
import { SessionModel } from "./lib/model.js";
import { renderOutbox, renderStatus } from "./lib/status.js";
import { AdjudicationView } from "./console/adjudication.js";
import { ProposalBoard } from "./console/proposals.js";
import { RosterView } from "./console/roster.js";
import { TimelineView } from "./console/timeline.js";
import { keepTokenFresh } from "./lib/renew.js";

const token = document.body.dataset.token;
const sessionId = Number(document.body.dataset.sessionId);
const model = new SessionModel();

const conn = new Connection({
  token,
  sessionId,
  onSync: (sync, fresh) => model.applySync(sync, fresh),
  onEvent: (event, fold) => model.applyEvent(event, fold),
  onHistory: (events) => model.applyHistory(events),
  onStatus: (status) => renderStatus($("#conn"), status),
  onRefused: (error) => notify(`${error.message} Reload the page after signing in again.`, "error"),
  onOutbox: (items) => renderOutbox($("#outbox"), items, conn),
  onSignal: (name, data) => model.applySignal(name, data),
});
// Reconnections read options.token: they use the freshest token.
keepTokenFresh((fresh) => (conn.options.token = fresh), Number(document.body.dataset.tokenSeconds));

/** Send a facilitator command and say so if it is refused. */
export async function command(type, fields = {}, success = "") {
  const ack = await conn.send(type, fields);
  if (!ack.ok) notify(ack.error.message, "error");
  else if (success) notify(success);
  return ack;
}

const timeline = new TimelineView(model, $("#timeline"), command);
const board = new ProposalBoard(model, $("#proposals"));
const roster = new RosterView(model, $("#roster"), command);
const adjudication = new AdjudicationView(model, $("#adjudication"), command);
const monitor = new ChannelsView({
  model, conn, root: $("#monitor"), includeAll: true, speaker: true,
  storageKey: `crisis-sim.read.console.${sessionId}`,
});

// --- clock and controls -----------------------------------------------------------------------
const LABEL = { lobby: "Lobby", running: "Running", paused: "Paused", ended: "Ended" };

function renderControls() {
  const status = model.state.status;
  const moves = model.scenario.moves.length;
  const index = model.state.clock.move_index;
  const allowed = {
    "session.start": status === "lobby",
    "session.pause": status === "running",
    "session.resume": status === "paused",
    "session.next_move": (status === "running" || status === "paused") && index < moves - 1,
    "session.end": status !== "ended",
  };
  for (const button of $$("#controls [data-command]")) {
    const ok = allowed[button.dataset.command];
    button.disabled = !ok;
    button.hidden = !ok && button.dataset.command !== "session.end";
  }
  document.body.classList.toggle("session-ended", status === "ended");
  const state = $("#session-state");
  state.textContent = LABEL[status] || status;
  state.className = `state state-${status}`;
  $("#lobby-lock").checked = Boolean(model.state.lobby_locked);
}

function tick() {
  if (!model.state) return;
  const move = model.currentMove();
  $("#move-title").textContent = move ? move.title : "Not started";
  $("#move-time").textContent = move
    ? `${duration(model.moveElapsed())} / ${duration(move.duration_minutes * 60)}`
    : "";
  updateDeadlines(model);
  timeline.tick();
}
setInterval(tick, 1000);

const armTimers = new Map();
function disarm(button) {
  clearTimeout(armTimers.get(button));
  delete button.dataset.armed;
  button.textContent = button.dataset.label;
}

$("#controls").addEventListener("click", async (event) => {
  const button = event.target.closest("[data-command]");
  if (!button) return;
  const type = button.dataset.command;
  // Two steps for what cannot be undone: ending the session, and leaving the current move
  // (there is no way back to an earlier move).
  const confirmText = {
    "session.end": () => "Confirm: end for everyone",
    "session.next_move": () => `Confirm: start move ${model.state.clock.move_index + 2}`,
  }[type];
  if (confirmText && !button.dataset.armed) {
    button.dataset.label = button.textContent;
    button.dataset.armed = "1";
    button.textContent = confirmText();
    armTimers.set(button, setTimeout(() => disarm(button), 5000));
    return;
  }
  if (button.dataset.armed) disarm(button);
  button.disabled = true;
  await command(type);
  if (model.state) renderControls();
});

$("#lobby-lock").addEventListener("change", (event) => {
  command("lobby.lock", { locked: event.target.checked }, event.target.checked ? "Lobby locked." : "Lobby open.");
});

// --- wiring -----------------------------------------------------------------------------------
model.on("sync", () => {
  const track = model.scenario.track;
  $("#session-title").textContent = track ? `${model.session.title} · ${track.title}` : model.session.title;
  renderControls();
  timeline.render();
  board.refresh();
  roster.render();
  adjudication.render();
  monitor.render();
  tick();
});
model.on("clock", () => { renderControls(); timeline.render(); tick(); });
model.on("lobby", () => renderControls());
model.on("injects", () => { timeline.render(); board.refresh(); });
model.on("pending", () => timeline.render());
model.on("time_request", ({ inject, request }) => notify(`${request.delegation} asks for ${request.minutes} more minutes on “${inject.title}”.`));
model.on("proposal", (proposal) => board.show(proposal));
model.on("players", () => roster.render());
model.on("presence", () => roster.render());
model.on("seat_code", () => roster.render());
model.on("automatic", () => { roster.render(); board.refresh(); });
for (const kind of ["indicators", "scores", "rulings", "statements"]) model.on(kind, () => adjudication.render());
