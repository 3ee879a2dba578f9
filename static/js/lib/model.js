// The session as this page knows it: the sync's state, then each event folded in. Events carry
// the full objects they touch (a proposal, a clock), so most updates replace an object by id.
//
// Live events may arrive out of seq order when several server processes share a session (each
// publishes after its own commit). So every object keeps the seq of the event that last touched
// it, and an event older than that leaves the object alone (docs/protocol.md, "Order").

export class SessionModel {
  constructor() {
    this.you = null;
    this.session = null;
    this.scenario = null;
    this.state = null;
    this.messages = new Map(); // channel -> [{seq, at, actor, text}] in seq order
    this.clockOffset = 0; // server time minus this browser's time, in ms
    this.listeners = new Map();
    this.synced = false;
    this.baseSeq = 0; // the sync's head: its state already holds everything up to here
    this.touched = new Map(); // "proposal:4", "clock", ... -> seq of the last event applied
    this.closedLater = new Map(); // proposal id -> {reason, seq}: closed before we heard of it
    this.early = new Map(); // "inject:x.outcome" -> value set before the inject itself arrived
  }

  /** Record that an event touched `key`, without applying anything. */
  touch(key, seq) {
    if (typeof seq === "number") this.touched.set(key, Math.max(seq, this.touched.get(key) ?? 0));
  }

  /** Set each field of `object` unless a newer event already set that field. Without the
   * object (its creating event is still on the way), keep the fields for when it comes. */
  setFields(object, key, fields, seq) {
    for (const [name, value] of Object.entries(fields)) {
      if (!this.newer(`${key}.${name}`, seq)) continue;
      if (object) object[name] = value;
      else this.early.set(`${key}.${name}`, value);
    }
  }

  /** Fields that events newer than the one creating `object` set before it arrived. */
  takeEarly(object, key) {
    for (const [path, value] of this.early) {
      if (path.startsWith(`${key}.`)) {
        object[path.slice(key.length + 1)] = value;
        this.early.delete(path);
      }
    }
  }

  /** True (and remembered) when `seq` is newer than what last touched object `key`. */
  newer(key, seq) {
    if (typeof seq !== "number") return true;
    if (seq <= (this.touched.get(key) ?? this.baseSeq)) return false;
    this.touched.set(key, seq);
    return true;
  }

  /** Listen to a kind of change: sync, you, players, clock, injects, pending, message, history,
   * proposal, indicators, statements, rulings, scores, automatic, lobby, moved, time_request,
   * presence,
   * seat_code, seat_moved; inject_fired (a real firing only) and inject_changed ({inject,
   * change}: extended, expired, adopted). */
  on(kind, fn) {
    if (!this.listeners.has(kind)) this.listeners.set(kind, []);
    this.listeners.get(kind).push(fn);
  }

  emit(kind, detail) {
    for (const fn of this.listeners.get(kind) || []) fn(detail);
  }

  /** Merge gauges from an event, unless a newer event already set them. */
  setIndicators(indicators, seq) {
    if (!indicators) return;
    this.state.indicators = { ...(this.state.indicators || {}) };
    this.setFields(this.state.indicators, "indicator", indicators, seq);
  }

  /** Server "now" in ms, corrected for this browser's clock. */
  now() {
    return Date.now() + this.clockOffset;
  }

  applySync(sync, fresh) {
    this.you = sync.you;
    this.session = sync.session;
    this.scenario = sync.scenario;
    this.state = sync.state;
    this.state.scores = this.state.scores || {};
    this.baseSeq = sync.session?.head_seq ?? 0;
    this.touched = new Map();
    this.closedLater = new Map();
    this.early = new Map();
    this.clockOffset = Date.parse(sync.server_time) - Date.now() || 0;
    this.online = new Set(sync.online || []);
    this.reclaimCodes = sync.reclaim_codes || {}; // facilitators: seat codes by player id
    for (const event of fresh) if (event.type === "message_posted") this.addMessage(event);
    this.synced = true;
    this.emit("sync", sync);
  }

  /** A signal outside the log: presence, a seat's (new) code, or "your seat moved". */
  applySignal(name, data) {
    if (!this.state) return;
    if (name === "presence") {
      if (data.online) this.online.add(data.player_id);
      else this.online.delete(data.player_id);
      this.emit("presence", data);
    } else if (name === "seat_code") {
      if (this.isFacilitator) this.reclaimCodes[data.player_id] = data.code;
      else if (this.you?.player_id === data.player_id) this.you.reclaim_code = data.code;
      this.emit("seat_code", data);
    } else if (name === "seat_moved") {
      // The device that took the seat hears it too (its number is not lower): ignore it there.
      if (this.you?.player_id === data.player_id && (this.you.device || 0) < data.device) this.emit("seat_moved", data);
    }
  }

  isOnline(playerId) {
    return Boolean(this.online?.has(playerId));
  }

  /** Older events fetched after a sync (the state already holds them): their messages. */
  applyHistory(events) {
    let added = 0;
    for (const event of events) {
      if (event.type === "message_posted") {
        this.addMessage(event);
        added += 1;
      }
    }
    if (added) this.emit("history", added);
  }

  addMessage(event) {
    const channel = event.data.channel;
    if (!this.messages.has(channel)) this.messages.set(channel, []);
    const list = this.messages.get(channel);
    const message = { seq: event.seq, at: event.at, actor: event.actor, text: event.data.text, channel, speaker: event.data.speaker || null };
    let index = list.length;
    while (index > 0 && list[index - 1].seq > message.seq) index -= 1;
    list.splice(index, 0, message);
    return message;
  }

  /** Fold one live event. `fold` is false when the sync's state already includes it. */
  applyEvent(event, fold) {
    if (event.type === "message_posted") {
      this.emit("message", this.addMessage(event));
      return;
    }
    if (!fold || !this.state) return;
    const handler = HANDLERS[event.type];
    if (handler) handler(this, event.data, event, event.seq);
  }

  delegation(code) {
    return (this.scenario?.delegations || []).find((d) => d.code === code) || null;
  }

  inject(id) {
    return (this.state?.injects || []).find((i) => i.id === id) || null;
  }

  proposal(id) {
    return (this.state?.proposals || []).find((p) => p.id === id) || null;
  }

  get isFacilitator() {
    return this.you?.kind === "facilitator";
  }

  /** Seconds of play in the current move, from the last clock the server sent. */
  moveElapsed() {
    const clock = this.state?.clock;
    if (!clock || !clock.move_started_at) return 0;
    const started = Date.parse(clock.move_started_at);
    const end = clock.paused_at ? Date.parse(clock.paused_at) : this.now();
    return Math.max(0, (end - started) / 1000 - (clock.paused_seconds || 0));
  }

  currentMove() {
    const index = this.state?.clock?.move_index ?? -1;
    return (this.scenario?.moves || [])[index] || null;
  }

  /** Seconds left before an inject's response deadline (null: none open). A pause stops it. */
  deadlineLeft(inject) {
    if (!inject || !inject.deadline_at || !inject.deadline_open) return null;
    const pausedAt = this.state?.clock?.paused_at;
    const end = pausedAt ? Date.parse(pausedAt) : this.now();
    return (Date.parse(inject.deadline_at) - end) / 1000;
  }

  replaceProposal(proposal, redLines, seq) {
    const list = this.state.proposals;
    const index = list.findIndex((p) => p.id === proposal.id);
    const previous = index >= 0 ? list[index] : null;
    if (!this.newer(`proposal:${proposal.id}`, seq) && previous) return;
    let next = { ...proposal };
    const closed = this.closedLater.get(proposal.id);
    if (closed && next.status === "open" && !(seq > closed.seq)) {
      next = { ...next, status: "closed", closed_reason: closed.reason };
    }
    if (this.isFacilitator) {
      next.red_lines_by_delegation =
        redLines === undefined ? previous?.red_lines_by_delegation || {} : redLines;
    } else {
      next.red_lines = redLines === undefined ? previous?.red_lines || [] : redLines;
    }
    if (index >= 0) list[index] = next;
    else list.push(next);
    this.emit("proposal", next);
  }

  closeProposals(ids, reason, seq) {
    for (const id of ids || []) {
      const proposal = this.proposal(id);
      if (proposal && proposal.status === "open") {
        this.replaceProposal({ ...proposal, status: "closed", closed_reason: reason }, undefined, seq);
      } else if (!proposal && typeof seq === "number") {
        this.closedLater.set(id, { reason, seq }); // its tabling is still on the way
        this.touch(`proposal:${id}`, seq);
      }
    }
  }

  setClock(clock, seq) {
    if (!this.newer("clock", seq)) return;
    this.state.clock = clock;
    this.state.status = clock.status;
    this.emit("clock", clock);
  }

  shiftDeadlines(deadlines, seq) {
    for (const [id, at] of Object.entries(deadlines || {})) {
      const inject = this.inject(id);
      this.setFields(inject, `inject:${id}`, { deadline_at: at }, seq);
    }
    if (deadlines && Object.keys(deadlines).length) this.emit("injects", null);
  }

  setPlayer(player, seq) {
    if (!this.newer(`player:${player.id}`, seq)) return;
    const players = this.state.players.filter((p) => p.id !== player.id);
    const leads = this.state.leads || {};
    // The lead flag follows the leads map, whichever of lead_set and this event came first.
    if (player.delegation in leads) player = { ...player, lead: leads[player.delegation] === player.id };
    players.push(player);
    this.state.players = players;
    if (this.you?.player_id === player.id) Object.assign(this.you, player);
    this.emit("players", player);
  }
}

function redLinesFor(model, data) {
  // Players see their own delegation's warning as data.private; facilitators see all of them.
  if (model.isFacilitator) {
    const byDelegation = {};
    for (const [code, note] of Object.entries(data.private_by_delegation || {})) {
      if (note.red_lines) byDelegation[code] = note.red_lines;
    }
    return byDelegation;
  }
  return data.private?.red_lines || [];
}

const HANDLERS = {
  player_joined(model, data, event, seq) {
    model.setPlayer(data.player, seq);
  },
  player_moved(model, data, event, seq) {
    model.setPlayer(data.player, seq);
    if (model.you?.player_id === data.player.id) model.emit("moved", data);
  },
  player_removed(model, data, event, seq) {
    model.touch(`player:${data.player_id}`, seq);
    model.state.players = model.state.players.filter((p) => p.id !== data.player_id);
    model.emit("players", null);
    if (model.you?.player_id === data.player_id) model.emit("moved", data);
  },
  lead_set(model, data, event, seq) {
    if (!model.newer(`lead:${data.delegation}`, seq)) return;
    model.state.leads = { ...(model.state.leads || {}), [data.delegation]: data.player_id };
    for (const player of model.state.players) {
      if (player.delegation === data.delegation) player.lead = player.id === data.player_id;
    }
    if (model.you?.delegation === data.delegation && model.you.kind === "player") {
      model.you.lead = model.you.player_id === data.player_id;
      model.emit("you", model.you);
    }
    model.emit("players", null);
  },
  lobby_locked(model, data, event, seq) {
    if (!model.newer("lobby", seq)) return;
    model.state.lobby_locked = Boolean(data.locked);
    model.emit("lobby", data.locked);
  },
  delegation_automatic(model, data, event, seq) {
    if (!model.newer(`automatic:${data.delegation}`, seq)) return;
    const automatic = new Set(model.state.automatic || []);
    if (data.automatic) automatic.add(data.delegation);
    else automatic.delete(data.delegation);
    model.state.automatic = Array.from(automatic).sort();
    model.emit("automatic", model.state.automatic);
  },
  session_started(model, data, event, seq) {
    addBriefingUpdate(model, data);
    model.setClock(data.clock, seq);
  },
  session_paused(model, data, event, seq) {
    model.setClock(data.clock, seq);
  },
  session_resumed(model, data, event, seq) {
    model.shiftDeadlines(data.deadlines, seq);
    shiftReactions(model, data.reactions, seq);
    model.setClock(data.clock, seq);
  },
  move_advanced(model, data, event, seq) {
    model.shiftDeadlines(data.deadlines, seq);
    shiftReactions(model, data.reactions, seq);
    addBriefingUpdate(model, data);
    revealIndicators(model, data, seq);
    model.setClock(data.clock, seq);
  },
  session_ended(model, data, event, seq) {
    model.closeProposals(data.closed_proposals, "the session ended", seq);
    revealIndicators(model, data, seq);
    model.setClock({ ...data.clock, status: "ended" }, seq);
  },
  inject_fired(model, data, event, seq) {
    // An inject fires once: a second copy of the event changes nothing.
    if (model.inject(data.inject.id)) return;
    const inject = {
      ...data.inject,
      status: "fired",
      fired_at: event.at,
      deadline_at: data.deadline_at,
      deadline_open: Boolean(data.deadline_at),
      outcome: null,
      time_requests: [],
    };
    for (const key of ["teaching_point", "expected_action", "what_happened", "written_by", "condition_overridden"]) {
      if (key in data) inject[key] = data[key];
    }
    model.takeEarly(inject, `inject:${inject.id}`);
    model.state.injects = model.state.injects.filter((i) => i.id !== inject.id).concat([inject]);
    if (model.state.injects_pending) {
      model.state.injects_pending = model.state.injects_pending.filter((i) => i.id !== inject.id);
      model.emit("pending", null);
    }
    model.emit("injects", inject);
    model.emit("inject_fired", inject); // a real firing (the "injects" signal also follows changes)
  },
  inject_held(model, data, event, seq) {
    setPending(model, data.inject_id, "held", seq);
  },
  inject_released(model, data, event, seq) {
    setPending(model, data.inject_id, "pending", seq);
  },
  inject_skipped(model, data, event, seq) {
    setPending(model, data.inject_id, "skipped", seq, { skip_reason: data.reason || null });
  },
  reaction_queued(model, data, event, seq) {
    setPending(model, data.inject_id, "queued", seq, { due_at: data.due_at, release: data.release, cause: data.cause });
  },
  hotwash_submitted(model, data, event, seq) {
    if (!model.state.hotwash || !model.newer(`hotwash:${event.actor.id}`, seq)) return;
    model.state.hotwash.push({ player_id: event.actor.id, ...data.answers });
    model.emit("hotwash", null);
  },
  debrief_unlocked(model) {
    model.state.debrief_unlocked = true;
    model.emit("hotwash", null);
  },
  deadline_extended(model, data, event, seq) {
    const inject = model.inject(data.inject_id);
    // An extension answers every pending request for more time on this inject.
    const fields = { deadline_at: data.deadline_at, deadline_open: true, time_requests: [] };
    model.setFields(inject, `inject:${data.inject_id}`, fields, seq);
    model.emit("injects", inject);
    if (inject) model.emit("inject_changed", { inject, change: "extended" });
  },
  time_requested(model, data, event, seq) {
    const inject = model.inject(data.inject_id); // null if the inject's firing has not arrived yet
    const request = { delegation: data.delegation, minutes: data.minutes, by: event.actor, at: event.at, seq };
    const requests = (inject?.time_requests || []).filter((r) => r.delegation !== data.delegation).concat([request]);
    model.setFields(inject, `inject:${data.inject_id}`, { time_requests: requests }, seq);
    if (inject) model.emit("time_request", { inject, request });
    model.emit("injects", inject);
  },
  deadline_expired(model, data, event, seq) {
    const inject = model.inject(data.inject_id);
    const outcome = inject?.outcome || data.outcome || "no_consensus";
    model.setFields(inject, `inject:${data.inject_id}`, { deadline_open: false, outcome }, seq);
    model.closeProposals(data.closed_proposals, "deadline", seq);
    model.emit("injects", inject);
    if (inject) model.emit("inject_changed", { inject, change: inject.outcome === "adopted" ? "adopted" : "expired" });
  },
  proposal_tabled(model, data, event, seq) {
    model.replaceProposal(data.proposal, redLinesFor(model, data), seq);
  },
  proposal_amended(model, data, event, seq) {
    model.replaceProposal(data.proposal, redLinesFor(model, data), seq);
  },
  proposal_position(model, data, event, seq) {
    model.replaceProposal(data.proposal, redLinesFor(model, data), seq);
  },
  proposal_withdrawn(model, data, event, seq) {
    model.replaceProposal(data.proposal, redLinesFor(model, data), seq);
  },
  proposal_adopted(model, data, event, seq) {
    model.replaceProposal(data.proposal, undefined, seq);
    model.closeProposals(data.closed_proposals, "another proposal was adopted", seq);
    model.setIndicators(data.indicators, seq);
    const injectId = data.proposal.inject_id;
    const inject = injectId ? model.inject(injectId) : null;
    if (injectId) model.setFields(inject, `inject:${injectId}`, { outcome: "adopted", deadline_open: false }, seq);
    if (data.private?.score && model.you?.delegation && model.newer("score", seq)) {
      const { total, objectives } = data.private.score;
      model.state.scores[model.you.delegation] = { total, objectives };
    }
    if (model.isFacilitator && data.score_deltas) addScores(model, data.score_deltas);
    model.emit("injects", inject);
    model.emit("indicators", { effects: data.effects });
    model.emit("scores", null);
  },
  indicators_changed(model, data, event, seq) {
    model.setIndicators(data.indicators, seq);
    model.emit("indicators", {});
  },
  statement_issued(model, data, event, seq) {
    insertBySeq(model.state.statements, { seq: event.seq, at: event.at, ...data });
    model.setIndicators(data.indicators, seq);
    model.emit("statements", null);
    model.emit("indicators", { effects: data.effects });
  },
  indicator_overridden(model, data, event, seq) {
    // With indicators hidden from players, the value is left out of their copy.
    if ("value" in data) model.setIndicators({ [data.indicator]: data.value }, seq);
    insertBySeq(model.state.rulings, { seq: event.seq, at: event.at, ...data });
    model.emit("rulings", null);
    model.emit("indicators", {});
  },
};

/** A pause pushes back when queued reactions are ready (facilitators only get `reactions`). */
function shiftReactions(model, reactions, seq) {
  if (!reactions || !Object.keys(reactions).length) return;
  for (const [id, due] of Object.entries(reactions)) {
    const item = (model.state.injects_pending || []).find((i) => i.id === id);
    if (item) model.setFields(item, `pending:${id}`, { due_at: due }, seq);
  }
  model.emit("pending", null);
}

function setPending(model, id, status, seq, extra = {}) {
  const item = (model.state.injects_pending || []).find((i) => i.id === id);
  if (item) model.setFields(item, `pending:${id}`, { skip_reason: null, ...extra, status }, seq);
  model.emit("pending", item);
}

function addBriefingUpdate(model, data) {
  // A delegation's own update for the move starting now arrives as data.private.
  const update = data.private?.briefing_update;
  if (!update || !model.state.briefing_updates) return;
  model.state.briefing_updates = model.state.briefing_updates.filter((u) => u.move !== update.move).concat([update]);
  model.emit("briefing", update);
}

function revealIndicators(model, data, seq) {
  // With indicators hidden during moves, the end of a move brings their values.
  if (!data.indicators) return;
  model.setIndicators(data.indicators, seq);
  model.emit("indicators", {});
}

function addScores(model, deltas) {
  for (const [code, delta] of Object.entries(deltas)) {
    const score = model.state.scores[code] || { total: 0, objectives: {} };
    for (const [objective, points] of Object.entries(delta)) {
      score.objectives[objective] = (score.objectives[objective] || 0) + points;
      score.total += points;
    }
    model.state.scores[code] = score;
  }
}

/** Insert a {seq} item into a list kept in seq order (a late event lands in its place). */
function insertBySeq(list, item) {
  let index = list.length;
  while (index > 0 && list[index - 1].seq > item.seq) index -= 1;
  list.splice(index, 0, item);
}
