// The one Socket.IO connection of a page: auth with the last seq seen, sync, events without
// gaps or duplicates, and commands that survive a dropped network (see docs/protocol.md).
import { io } from "/vendor/socket.io.esm.min.js";

const ACK_TIMEOUT_MS = 12000;
// With several server processes, live events may overtake each other by a few seqs (each process
// publishes after its own commit). A reconnection asks again for this many seqs before the
// highest one seen, so an event that was still on its way when the connection dropped is not
// skipped; the ones already seen are dropped as duplicates.
const REORDER_MARGIN = 64;
const HISTORY_PAGE = 500; // the server's most per `history` answer

/** A client-made command id (crypto.randomUUID needs a secure context; a LAN URL is not). */
export function commandId() {
  if (window.crypto && typeof window.crypto.randomUUID === "function") return window.crypto.randomUUID();
  const bytes = new Uint8Array(16);
  window.crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

export class Connection {
  /**
   * @param {object} options
   * @param {string} options.token          seat, observer or facilitator token
   * @param {number} [options.sessionId]    required for facilitator tokens
   * @param {(sync, fresh: object[]) => void} options.onSync   fresh: the sync's events not seen yet
   * @param {(event, fold: boolean) => void} options.onEvent   fold: the event is newer than the state
   * @param {(status: string) => void} options.onStatus        connecting|connected|reconnecting|offline
   * @param {(error: {code, message}) => void} options.onRefused  the server will not take the token
   * @param {(outbox: object[]) => void} [options.onOutbox]   commands waiting or not sent
   * @param {(name: string, data: object) => void} [options.onSignal]  presence, seat_code, seat_moved
   * @param {(events: object[]) => void} [options.onHistory] older events fetched after a sync
   */
  constructor(options) {
    this.options = options;
    this.lastSeq = 0;
    this.headSeq = 0;
    this.seen = new Set();
    this.synced = false;
    this.buffer = [];
    this.outbox = []; // {command, resolve, state: queued|sending|failed, attempts}
    this.status = "connecting";
    this.socket = io({
      auth: (cb) =>
        cb({ token: options.token, last_seq: this.resumeSeq(), session_id: options.sessionId }),
      reconnectionDelay: 500,
      reconnectionDelayMax: 3000,
    });
    // socket.io delivers events buffered during the handshake (our sync) before "connect".
    this.socket.on("connect", () => this.synced || this.setStatus("connecting"));
    this.socket.on("sync", (sync) => this.handleSync(sync));
    this.socket.on("event", (event) => (this.synced ? this.deliver(event) : this.buffer.push(event)));
    this.socket.on("disconnect", (reason) => this.handleDisconnect(reason));
    this.socket.on("connect_error", (error) => this.handleConnectError(error));
    // Signals outside the log: who is online, a seat's code, "your seat moved" (docs/protocol.md).
    for (const name of ["presence", "seat_code", "seat_moved"]) {
      this.socket.on(name, (data) => options.onSignal?.(name, data));
    }
    // The session was deleted, or the facilitator signed out: the server is closing this
    // socket; stop, and say so like a refusal.
    for (const name of ["session_deleted", "signed_out"]) {
      this.socket.on(name, (data) => {
        this.handleConnectError({ data });
        this.socket.disconnect();
      });
    }
    // The browser knows about a lost network before a ping times out: say so at once, and
    // drop the transport so nothing is sent into the void; reconnection starts by itself.
    window.addEventListener("offline", () => {
      this.setStatus("offline");
      if (this.socket.io.engine) this.socket.io.engine.close();
    });
    window.addEventListener("online", () => {
      if (!this.socket.connected && !this.refused) this.socket.connect();
    });
  }

  setStatus(status) {
    if (status === "reconnecting" && !navigator.onLine) status = "offline";
    this.status = status;
    this.options.onStatus?.(status);
  }

  handleSync(sync) {
    this.headSeq = sync.session?.head_seq ?? 0;
    const fresh = [];
    for (const event of sync.events || []) {
      if (this.remember(event)) fresh.push(event);
    }
    this.lastSeq = Math.max(this.lastSeq, this.headSeq);
    this.synced = true;
    this.options.onSync(sync, fresh);
    const buffered = this.buffer;
    this.buffer = [];
    for (const event of buffered) this.deliver(event);
    this.setStatus("connected");
    this.flush();
    // A long session's sync holds the state and only its latest events: fetch the older ones
    // this page has not seen, a page at a time, a little later (a whole class reconnecting at
    // once then does not also ask for the whole history at once).
    const asked = sync.from_seq ?? 0;
    if ((sync.events_after ?? asked) > asked && this.options.onHistory) {
      const delay = 500 + Math.random() * 2500;
      setTimeout(() => this.fetchHistory(sync.events_after + 1, asked), delay);
    }
  }

  /** Ask for the events with `down_to < seq < before`, newest page first. */
  fetchHistory(before, downTo) {
    if (before - 1 <= downTo || !this.socket.connected) return;
    const limit = Math.min(HISTORY_PAGE, before - 1 - downTo);
    this.socket.timeout(ACK_TIMEOUT_MS).emit("history", { before_seq: before, limit }, (err, answer) => {
      if (answer?.error?.code === "rate_limited") {
        setTimeout(() => this.fetchHistory(before, downTo), answer.error.retry_after * 1000);
        return;
      }
      if (err || !answer?.ok) return;
      const older = answer.events.filter((event) => this.remember(event));
      this.options.onHistory(older);
      this.fetchHistory(answer.events_after + 1, downTo);
    });
  }

  /** The last_seq to reconnect with: everything up to the last sync's head is known for sure. */
  resumeSeq() {
    return Math.max(this.headSeq, this.lastSeq - REORDER_MARGIN);
  }

  /** Record a seq; false if it was seen before (a live event that was also in a sync). */
  remember(event) {
    if (typeof event.seq !== "number" || this.seen.has(event.seq)) return false;
    this.seen.add(event.seq);
    this.lastSeq = Math.max(this.lastSeq, event.seq);
    return true;
  }

  deliver(event) {
    if (!this.remember(event)) return;
    this.options.onEvent(event, event.seq > this.headSeq);
  }

  handleDisconnect(reason) {
    this.synced = false;
    // Commands in flight may or may not have reached the server: send them again, with the
    // same id, once connected; the server answers a repeated id with the first answer.
    for (const entry of this.outbox) if (entry.state === "sending") entry.state = "queued";
    this.notifyOutbox();
    if (this.refused) return;
    this.setStatus("reconnecting");
    if (reason === "io server disconnect") this.socket.connect();
  }

  handleConnectError(error) {
    const data = error && error.data;
    if (data && data.code) {
      this.refused = true;
      this.setStatus("offline");
      this.options.onRefused?.(data);
      return;
    }
    this.setStatus("reconnecting");
  }

  /** Let go for good (the seat moved to another device): no reconnection, nothing sent. */
  stop() {
    this.refused = true;
    this.socket.disconnect();
    for (const entry of this.outbox) entry.state = "failed";
    this.notifyOutbox();
    this.setStatus("offline");
  }

  /** Leave and join again (the server re-reads our seat and rooms from the database). */
  reconnect({ fromStart = false } = {}) {
    if (fromStart) {
      this.lastSeq = 0;
      this.seen.clear();
    }
    this.socket.disconnect();
    this.synced = false;
    this.socket.connect();
  }

  /**
   * Send a command; resolves with the ack {ok, seq} or {ok: false, error}. Offline, it waits
   * in the outbox and goes out once connected; if that fails too it is marked "not sent".
   */
  send(type, fields = {}) {
    return new Promise((resolve) => {
      const entry = {
        command: { id: commandId(), type, ...fields },
        resolve,
        state: "queued",
        attempts: 0,
      };
      this.outbox.push(entry);
      if (this.synced && this.socket.connected) this.emit(entry);
      else this.notifyOutbox();
    });
  }

  emit(entry) {
    entry.state = "sending";
    entry.attempts += 1;
    this.notifyOutbox();
    this.socket.timeout(ACK_TIMEOUT_MS).emit("command", entry.command, (err, ack) => {
      if (entry.state !== "sending") return; // already re-queued after a disconnect
      if (err) {
        entry.state = "failed";
        this.notifyOutbox();
        return;
      }
      this.settle(entry, ack);
    });
  }

  settle(entry, ack) {
    this.outbox = this.outbox.filter((e) => e !== entry);
    this.notifyOutbox();
    entry.resolve(ack || { ok: false, error: { code: "server_error", message: "No answer." } });
  }

  flush() {
    for (const entry of this.outbox) {
      if (entry.state !== "queued") continue;
      // A command is sent, and re-sent once after a dropped connection; then the user decides.
      if (entry.attempts >= 2) entry.state = "failed";
      else this.emit(entry);
    }
    this.notifyOutbox();
  }

  /** Try a "not sent" command again, with its original id. */
  retry(id) {
    const entry = this.outbox.find((e) => e.command.id === id);
    if (!entry) return;
    entry.attempts = 0;
    entry.state = "queued";
    if (this.synced && this.socket.connected) this.emit(entry);
    else this.notifyOutbox();
  }

  /** Give up on a "not sent" command. */
  discard(id) {
    const entry = this.outbox.find((e) => e.command.id === id);
    if (!entry) return;
    this.settle(entry, { ok: false, error: { code: "not_sent", message: "Not sent." } });
  }

  notifyOutbox() {
    this.options.onOutbox?.(this.outbox.map((e) => ({ ...e.command, state: e.state })));
  }
}
