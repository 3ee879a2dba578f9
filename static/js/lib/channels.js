// Channels: a list with unread counts, the messages of one channel, and a composer.
// Used by the player's Channels tab and by the facilitator's monitor of every channel.
import { announce, clockTime, el, notify, paint, replace, store } from "./dom.js";

const ALL = "*";

/** A human name for a channel id (plenary, JPN, JPN-KOR, white-JPN). */
export function channelName(model, channel, forFacilitator = false) {
  const name = (code) => model.delegation(code)?.name || code;
  if (channel === ALL) return "All channels";
  if (channel === "plenary") return "Plenary — all delegations";
  if (channel.startsWith("white-")) {
    return forFacilitator ? `White Cell ↔ ${name(channel.slice(6))}` : "White Cell (facilitators)";
  }
  const parts = channel.split("-");
  if (parts.length === 2) return `${name(parts[0])} – ${name(parts[1])}`;
  return forFacilitator ? `${name(channel)} — private room` : `${name(channel)} — our room`;
}

/** Who reads a channel, in words, for the line above the message box. */
export function readers(model, channel) {
  const name = (code) => model.delegation(code)?.name || code;
  const list = (names) => (names.length > 1 ? `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}` : names[0]);
  if (channel === "plenary") return "Read by every delegation, the White Cell and any observers.";
  // A scenario may let observers read every channel (settings.observers_see_bilaterals).
  const also = model.scenario?.settings?.observers_see_bilaterals ? ", the White Cell and any observers" : " and the White Cell";
  if (channel.startsWith("white-")) return `Read by ${name(channel.slice(6))}'s delegation${also}.`;
  const codes = channel.split("-");
  if (codes.length === 2) return `Read by the ${list(codes.map(name))} delegations${also}.`;
  return `Read by ${name(channel)}'s delegation${also} only.`;
}

function channelCodes(model, channel) {
  if (channel === "plenary" || channel === ALL) return [];
  if (channel.startsWith("white-")) return [channel.slice(6)];
  return channel.split("-");
}

export class ChannelsView {
  /**
   * @param {object} options  model, conn, root, storageKey (for read marks), includeAll,
   *                          isVisible() (is the panel on screen), onUnread(total)
   */
  constructor(options) {
    this.o = options;
    this.model = options.model;
    this.readMarks = store.get(options.storageKey, {}) || {};
    this.current = store.get(`${options.storageKey}.current`, null);
    this.list = el("ul", { class: "channel-list", "aria-label": "Channels" });
    this.title = el("h3", { class: "channel-title", id: `${options.root.id}-title` });
    // Not a live region: switching channel would read the whole history aloud. New messages
    // are announced one by one through the page's announcer instead (see onMessage).
    this.messages = el("ol", { class: "messages", "aria-labelledby": this.title.id });
    this.audience = el("p", { class: "composer-audience", id: `${options.root.id}-audience` });
    this.input = el("textarea", { id: `${options.root.id}-composer`, rows: "2", maxlength: "4000", placeholder: "Write a message…", "aria-describedby": this.audience.id });
    // The White Cell may speak as a named third party ("KCNA", "the markets").
    this.speaker = options.speaker
      ? el("input", { id: `${options.root.id}-speaker`, maxlength: "80", placeholder: "Speak as (optional), e.g. KCNA", class: "speaker-input" })
      : null;
    this.form = el("form", { class: "composer", on: { submit: (e) => this.post(e) } },
      this.speaker ? el("label", { for: this.speaker.id, class: "sr-only", text: "Speak as (optional)" }) : null,
      this.speaker,
      el("label", { for: this.input.id, class: "sr-only", text: "Message" }),
      this.input,
      el("button", { type: "submit", class: "primary", text: "Send" }));
    // A half-written message survives a reload (per channel, for this tab only).
    this.input.addEventListener("input", () => this.saveDraft());
    this.input.addEventListener("keydown", (e) => {
      if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
        e.preventDefault();
        this.form.requestSubmit();
      }
    });
    replace(options.root,
      el("nav", { class: "channel-nav", "aria-label": "Channel list" }, this.list),
      el("section", { class: "channel-view" }, el("header", { class: "channel-head" }, this.title), this.messages, this.audience, this.form));
    this.model.on("sync", () => this.render());
    this.model.on("message", (message) => this.onMessage(message));
    this.model.on("history", () => this.render()); // earlier messages arrived after the sync
  }

  channels() {
    const list = this.model.scenario?.channels || [];
    return this.o.includeAll ? [ALL, ...list] : list;
  }

  isMine(actor) {
    const you = this.model.you || {};
    if (actor.kind === "player") return actor.id === you.player_id;
    if (actor.kind === "facilitator") return actor.id === you.facilitator_id;
    return false;
  }

  messagesOf(channel) {
    if (channel !== ALL) return this.model.messages.get(channel) || [];
    return Array.from(this.model.messages.values()).flat().sort((a, b) => a.seq - b.seq);
  }

  unread(channel) {
    const mark = this.readMarks[channel] || 0;
    return this.messagesOf(channel).filter((m) => m.seq > mark && !this.isMine(m.actor)).length;
  }

  render() {
    const channels = this.channels();
    if (!channels.includes(this.current)) this.current = channels[0];
    this.renderList();
    this.renderMessages();
  }

  renderList() {
    const facilitator = this.model.isFacilitator;
    replace(this.list, this.channels().map((channel) => {
      const count = channel === ALL ? 0 : this.unread(channel);
      const chips = channelCodes(this.model, channel).map((code) =>
        paint(el("span", { class: "dot", "aria-hidden": "true" }), this.model.delegation(code)?.colour));
      return el("li", {},
        el("button", {
          type: "button",
          class: ["channel-button", channel === this.current ? "active" : ""],
          "aria-current": channel === this.current ? "true" : null,
          dataset: { channel },
          on: { click: () => this.select(channel) },
        },
        el("span", { class: "dots" }, chips),
        el("span", { class: "channel-label", text: channelName(this.model, channel, facilitator) }),
        count ? el("span", { class: "unread", "aria-label": `${count} unread`, text: String(count) }) : null));
    }));
    this.o.onUnread?.(this.channels().reduce((n, c) => n + (c === ALL ? 0 : this.unread(c)), 0));
  }

  draftKey(channel) {
    return `${this.o.storageKey}.draft.${channel}`;
  }

  saveDraft() {
    try {
      if (this.input.value) sessionStorage.setItem(this.draftKey(this.current), this.input.value);
      else sessionStorage.removeItem(this.draftKey(this.current));
    } catch {
      /* storage disabled: drafts are simply not kept */
    }
  }

  loadDraft() {
    try {
      this.input.value = sessionStorage.getItem(this.draftKey(this.current)) || "";
    } catch {
      this.input.value = "";
    }
  }

  select(channel) {
    this.saveDraft();
    this.current = channel;
    this.loadDraft();
    store.set(`${this.o.storageKey}.current`, channel);
    this.renderList();
    this.renderMessages();
    this.input.focus();
  }

  renderMessages() {
    const channel = this.current;
    this.title.textContent = channel ? channelName(this.model, channel, this.model.isFacilitator) : "";
    if (!this.input.value) this.loadDraft();
    const items = this.messagesOf(channel).map((m) => this.messageItem(m));
    replace(this.messages, items.length ? items : el("li", { class: "empty", text: "No messages yet." }));
    this.form.hidden = channel === ALL || (this.o.readOnly ?? false);
    this.audience.hidden = this.form.hidden;
    this.audience.textContent = this.form.hidden ? "" : readers(this.model, channel);
    this.messages.scrollTop = this.messages.scrollHeight;
    this.markRead();
  }

  messageItem(message) {
    const actor = message.actor || {};
    const delegation = actor.delegation ? this.model.delegation(actor.delegation) : null;
    const who = message.speaker
      ? `${message.speaker} (via the White Cell)`
      : actor.kind === "facilitator" ? "White Cell" : actor.name || "Server";
    const item = el("li", {
      class: ["message", this.isMine(actor) ? "mine" : "", actor.kind === "facilitator" ? "from-white" : "", message.speaker ? "from-third-party" : ""],
      dataset: { seq: String(message.seq) },
    },
    el("div", { class: "message-meta" },
      delegation ? paint(el("span", { class: "del-tag", text: delegation.code }), delegation.colour) : null,
      el("span", { class: "message-author", text: who }),
      this.current === ALL ? el("span", { class: "message-channel", text: channelName(this.model, message.channel, true) }) : null,
      el("time", { datetime: message.at, text: clockTime(message.at) })),
    el("p", { class: "message-text", text: message.text }));
    return item;
  }

  onMessage(message) {
    if (!this.isMine(message.actor)) {
      const actor = message.actor || {};
      const who = message.speaker || (actor.kind === "facilitator" ? "White Cell" : actor.name || "Someone");
      const here = this.current === message.channel && (!this.o.isVisible || this.o.isVisible());
      announce(here ? `${who}: ${message.text}`
        : `New message in ${channelName(this.model, message.channel, this.model.isFacilitator)} from ${who}.`);
    }
    if (this.current === message.channel || this.current === ALL) {
      const last = this.messages.lastElementChild;
      const nearBottom = this.messages.scrollHeight - this.messages.scrollTop - this.messages.clientHeight < 80;
      if (last && last.classList.contains("empty")) last.remove();
      const lastSeq = Number(this.messages.lastElementChild?.dataset.seq || 0);
      if (message.seq < lastSeq) this.renderMessages();
      else this.messages.appendChild(this.messageItem(message));
      if (nearBottom || this.isMine(message.actor)) this.messages.scrollTop = this.messages.scrollHeight;
    }
    this.markRead();
    this.renderList();
  }

  /** Mark the open channel read when the reader can actually see it. */
  markRead() {
    const channel = this.current;
    if (!channel || (this.o.isVisible && !this.o.isVisible()) || document.hidden) return;
    const targets = channel === ALL ? this.channels().filter((c) => c !== ALL) : [channel];
    let changed = false;
    for (const c of targets) {
      const list = this.messagesOf(c);
      const last = list.length ? list[list.length - 1].seq : 0;
      if ((this.readMarks[c] || 0) < last) {
        this.readMarks[c] = last;
        changed = true;
      }
    }
    if (changed) {
      store.set(this.o.storageKey, this.readMarks);
      this.renderList();
    }
  }

  async post(event) {
    event.preventDefault();
    const text = this.input.value.trim();
    const channel = this.current;
    if (!text || !channel || channel === ALL) return;
    this.input.value = "";
    this.saveDraft();
    this.input.focus(); // ready for the next message, whether Enter or the Send button sent it
    const fields = { channel, text };
    const speaker = this.speaker?.value.trim();
    if (speaker) fields.speaker = speaker;
    const ack = await this.o.conn.send("message.post", fields);
    if (!ack.ok) {
      if (!this.input.value) this.input.value = text; // give the words back to fix or resend
      notify(`Message not sent: ${ack.error.message}`, "error");
    }
  }
}
