// The session as this page knows it: the sync's state, then each event folded in. Events carry
// the full objects they touch (a proposal, a clock), so most updates replace an object by id.

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
  }

  /** Listen to a kind of change: sync, you, players, clock, injects, pending, message, proposal,
   * indicators, statements, rulings, scores, automatic, lobby, moved. */
  on(kind, fn) {
    if (!this.listeners.has(kind)) this.listeners.set(kind, []);
    this.listeners.get(kind).push(fn);
  }

  emit(kind, detail) {
    for (const fn of this.listeners.get(kind) || []) fn(detail);
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
    this.clockOffset = Date.parse(sync.server_time) - Date.now() || 0;
    for (const event of fresh) if (event.type === "message_posted") this.addMessage(event);
    this.synced = true;
    this.emit("sync", sync);
  }

  addMessage(event) {
    const channel = event.data.channel;
    if (!this.messages.has(channel)) this.messages.set(channel, []);
    const list = this.messages.get(channel);
    const message = { seq: event.seq, at: event.at, actor: event.actor, text: event.data.text, channel };
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
    if (handler) handler(this, event.data, event);
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

  replaceProposal(proposal, redLines) {
    const list = this.state.proposals;
    const index = list.findIndex((p) => p.id === proposal.id);
    const previous = index >= 0 ? list[index] : null;
    const next = { ...proposal };
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

  closeProposals(ids, reason) {
    for (const id of ids || []) {
      const proposal = this.proposal(id);
      if (proposal && proposal.status === "open") {
        this.replaceProposal({ ...proposal, status: "closed", closed_reason: reason });
      }
    }
  }

  setClock(clock) {
    this.state.clock = clock;
    this.state.status = clock.status;
    this.emit("clock", clock);
  }

  shiftDeadlines(deadlines) {
    for (const [id, at] of Object.entries(deadlines || {})) {
      const inject = this.inject(id);
      if (inject) inject.deadline_at = at;
    }
    if (deadlines && Object.keys(deadlines).length) this.emit("injects", null);
  }

  setPlayer(player) {
    const players = this.state.players.filter((p) => p.id !== player.id);
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
  player_joined(model, data) {
    model.setPlayer(data.player);
  },
  player_moved(model, data) {
    model.setPlayer(data.player);
    if (model.you?.player_id === data.player.id) model.emit("moved", data);
  },
  player_removed(model, data) {
    model.state.players = model.state.players.filter((p) => p.id !== data.player_id);
    model.emit("players", null);
    if (model.you?.player_id === data.player_id) model.emit("moved", data);
  },
  lead_set(model, data) {
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
  lobby_locked(model, data) {
    model.state.lobby_locked = Boolean(data.locked);
    model.emit("lobby", data.locked);
  },
  delegation_automatic(model, data) {
    const automatic = new Set(model.state.automatic || []);
    if (data.automatic) automatic.add(data.delegation);
    else automatic.delete(data.delegation);
    model.state.automatic = Array.from(automatic).sort();
    model.emit("automatic", model.state.automatic);
  },
  session_started(model, data) {
    model.setClock(data.clock);
  },
  session_paused(model, data) {
    model.setClock(data.clock);
  },
  session_resumed(model, data) {
    model.shiftDeadlines(data.deadlines);
    model.setClock(data.clock);
  },
  move_advanced(model, data) {
    model.shiftDeadlines(data.deadlines);
    model.setClock(data.clock);
  },
  session_ended(model, data) {
    model.closeProposals(data.closed_proposals, "the session ended");
    model.setClock({ ...data.clock, status: "ended" });
  },
  inject_fired(model, data, event) {
    const inject = {
      ...data.inject,
      status: "fired",
      fired_at: event.at,
      deadline_at: data.deadline_at,
      deadline_open: Boolean(data.deadline_at),
      outcome: null,
    };
    for (const key of ["teaching_point", "expected_action", "what_happened", "written_by"]) {
      if (key in data) inject[key] = data[key];
    }
    model.state.injects = model.state.injects.filter((i) => i.id !== inject.id).concat([inject]);
    if (model.state.injects_pending) {
      model.state.injects_pending = model.state.injects_pending.filter((i) => i.id !== inject.id);
      model.emit("pending", null);
    }
    model.emit("injects", inject);
  },
  inject_held(model, data) {
    setPending(model, data.inject_id, "held");
  },
  inject_released(model, data) {
    setPending(model, data.inject_id, "pending");
  },
  inject_skipped(model, data) {
    setPending(model, data.inject_id, "skipped");
  },
  deadline_extended(model, data) {
    const inject = model.inject(data.inject_id);
    if (inject) Object.assign(inject, { deadline_at: data.deadline_at, deadline_open: true });
    model.emit("injects", inject);
  },
  deadline_expired(model, data) {
    const inject = model.inject(data.inject_id);
    if (inject) {
      inject.deadline_open = false;
      inject.outcome = inject.outcome || data.outcome || "no_consensus";
    }
    model.closeProposals(data.closed_proposals, "deadline");
    model.emit("injects", inject);
  },
  proposal_tabled(model, data) {
    model.replaceProposal(data.proposal, redLinesFor(model, data));
  },
  proposal_amended(model, data) {
    model.replaceProposal(data.proposal, redLinesFor(model, data));
  },
  proposal_position(model, data) {
    model.replaceProposal(data.proposal, redLinesFor(model, data));
  },
  proposal_withdrawn(model, data) {
    model.replaceProposal(data.proposal, redLinesFor(model, data));
  },
  proposal_adopted(model, data) {
    model.replaceProposal(data.proposal);
    model.closeProposals(data.closed_proposals, "another proposal was adopted");
    model.state.indicators = { ...(model.state.indicators || {}), ...(data.indicators || {}) };
    const inject = data.proposal.inject_id ? model.inject(data.proposal.inject_id) : null;
    if (inject) Object.assign(inject, { outcome: "adopted", deadline_open: false });
    if (data.private?.score && model.you?.delegation) {
      const { total, objectives } = data.private.score;
      model.state.scores[model.you.delegation] = { total, objectives };
    }
    if (model.isFacilitator && data.score_deltas) addScores(model, data.score_deltas);
    model.emit("injects", inject);
    model.emit("indicators", { effects: data.effects });
    model.emit("scores", null);
  },
  indicators_changed(model, data) {
    model.state.indicators = { ...(model.state.indicators || {}), ...(data.indicators || {}) };
    model.emit("indicators", {});
  },
  statement_issued(model, data, event) {
    model.state.statements.push({ seq: event.seq, at: event.at, ...data });
    model.state.indicators = { ...(model.state.indicators || {}), ...(data.indicators || {}) };
    model.emit("statements", null);
    model.emit("indicators", { effects: data.effects });
  },
  indicator_overridden(model, data, event) {
    // With indicators hidden from players, the value is left out of their copy.
    if ("value" in data) model.state.indicators = { ...(model.state.indicators || {}), [data.indicator]: data.value };
    model.state.rulings.push({ seq: event.seq, at: event.at, ...data });
    model.emit("rulings", null);
    model.emit("indicators", {});
  },
};

function setPending(model, id, status) {
  const item = (model.state.injects_pending || []).find((i) => i.id === id);
  if (item) item.status = status;
  model.emit("pending", item);
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
