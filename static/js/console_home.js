// The facilitator's list of sessions: create a new one from a scenario with the JSON API.
import { $, localiseTimes } from "./lib/dom.js";
import { keepTokenFresh } from "./lib/renew.js";

localiseTimes();

let token = document.body.dataset.token;
keepTokenFresh((fresh) => (token = fresh), Number(document.body.dataset.tokenSeconds));
const form = $("#create-form");
const errorBox = $("#create-error");
const scenario = $("#create-scenario");
const track = $("#create-track");

/** Offer the tracks of the chosen scenario only (the first is "whole scenario"). */
function showTracks() {
  let first = null;
  for (const option of track.options) {
    option.hidden = option.dataset.scenario !== scenario.value;
    option.disabled = option.hidden;
    if (!option.hidden && !first) first = option;
  }
  if (track.selectedOptions[0]?.hidden && first) first.selected = true;
}
scenario.addEventListener("change", showTracks);
showTracks();

// The picker's line under the list: the chosen scenario's full title, moves and duration.
const picker = $("#create-scenario");
const facts = $("#scenario-facts");
picker?.addEventListener("change", () => {
  if (facts) facts.textContent = picker.selectedOptions[0]?.dataset.facts || "";
});

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  errorBox.hidden = true;
  const button = form.querySelector("button[type=submit]");
  button.disabled = true;
  let answer;
  try {
    const response = await fetch("/api/sessions", {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
      body: JSON.stringify({ scenario: scenario.value, title: $("#create-title-input").value.trim(), track: track.value || null }),
    });
    answer = await response.json();
  } catch {
    answer = { ok: false, error: { message: "The server cannot be reached." } };
  }
  button.disabled = false;
  if (!answer.ok) {
    errorBox.textContent = answer.error.message;
    errorBox.hidden = false;
    return;
  }
  window.location.assign(`/console/${answer.session.id}`);
});
