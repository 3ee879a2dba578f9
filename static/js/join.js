// The join page (a code and a name -> a seat token) and the observe page (observer code).
import { $, el, store } from "./lib/dom.js";
import { OBSERVER_KEY, SEAT_KEY } from "./lib/keys.js";

const HINTS = {
  unknown_reclaim_code: "The seat code is on your seat's Briefing tab (“Continue on another device”).",
  unknown_code: "The code is on the screen at the front of the room: six letters and digits.",
  lobby_locked: "Ask your instructor to unlock the session, or to seat you.",
  session_ended: "This session is over. Ask your instructor for the code of the current one.",
};

async function post(url, body) {
  try {
    const response = await fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
    return await response.json();
  } catch {
    return { ok: false, error: { code: "network", message: "The server cannot be reached. Check the network and try again." } };
  }
}

function showError(box, error) {
  const hint = HINTS[error.code];
  box.textContent = hint ? `${error.message} ${hint}` : error.message;
  box.hidden = false;
}

function setupJoin(form) {
  const params = new URLSearchParams(window.location.search);
  const seat = store.get(SEAT_KEY);
  if (seat && seat.token && !params.has("new") && !params.has("code")) {
    window.location.replace("/play"); // a returning browser goes straight back to its seat
    return;
  }
  if (seat && seat.token && params.has("code")) {
    // A link with a code may be for another session: offer both, replace the seat only on join.
    const who = seat.player ? `${seat.player.name} (${seat.player.delegation})` : "your seat";
    const note = el("p", { class: "hint seat-note" }, "This browser already holds a seat: ",
      el("a", { href: "/play", text: `return to ${who}` }), ", or join below as someone new.");
    form.insertBefore(note, form.querySelector(".field"));
  }
  const codeInput = $("#join-code");
  const nameInput = $("#join-name");
  const errorBox = $("#join-error");
  if (params.get("code")) codeInput.value = params.get("code").toUpperCase();
  if (params.get("gone")) {
    showError(errorBox, { code: "gone", message: "Your seat in the last session is no longer valid. Join again with the code." });
  }
  (codeInput.value ? nameInput : codeInput).focus();
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    errorBox.hidden = true;
    const code = codeInput.value.trim();
    const name = nameInput.value.trim();
    if (!code) return showError(errorBox, { code: "", message: "Enter the session code." });
    if (!name) return showError(errorBox, { code: "", message: "Enter your name." });
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    const answer = await post("/api/join", { code, name });
    button.disabled = false;
    if (!answer.ok) {
      showError(errorBox, answer.error);
      (answer.error.code === "bad_name" ? nameInput : codeInput).focus();
      return;
    }
    store.set(SEAT_KEY, { token: answer.token, session_id: answer.session_id, player: answer.player });
    window.location.assign("/play");
  });
}

function setupReclaim(form) {
  const params = new URLSearchParams(window.location.search);
  const codeInput = $("#reclaim-join-code");
  const seatInput = $("#reclaim-code");
  const errorBox = $("#reclaim-error");
  if (params.get("code")) codeInput.value = params.get("code").toUpperCase();
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    errorBox.hidden = true;
    const code = codeInput.value.trim();
    const reclaim = seatInput.value.trim();
    if (!code) return showError(errorBox, { code: "", message: "Enter the session code." });
    if (!reclaim) return showError(errorBox, { code: "", message: "Enter your seat code." });
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    const answer = await post("/api/reclaim", { code, reclaim_code: reclaim });
    button.disabled = false;
    if (!answer.ok) {
      showError(errorBox, answer.error);
      (answer.error.code === "unknown_reclaim_code" ? seatInput : codeInput).focus();
      return;
    }
    store.set(SEAT_KEY, { token: answer.token, session_id: answer.session_id, player: answer.player });
    window.location.assign("/play");
  });
}

function setupObserve(form) {
  const codeInput = $("#observe-code");
  const errorBox = $("#observe-error");
  const params = new URLSearchParams(window.location.search);
  if (params.get("code")) codeInput.value = params.get("code").toUpperCase();
  codeInput.focus();
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    errorBox.hidden = true;
    const code = codeInput.value.trim();
    if (!code) return showError(errorBox, { code: "", message: "Enter the observer code." });
    const answer = await post("/api/observe", { code });
    if (!answer.ok) return showError(errorBox, answer.error);
    store.set(OBSERVER_KEY, { token: answer.token, session_id: answer.session_id });
    window.location.assign("/projector");
  });
}

const joinForm = $("#join-form");
if (joinForm) setupJoin(joinForm);
const reclaimForm = $("#reclaim-form");
if (reclaimForm) setupReclaim(reclaimForm);
const observeForm = $("#observe-form");
if (observeForm) setupObserve(observeForm);
