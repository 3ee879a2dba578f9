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

const facts = $("#scenario-facts");

/** The line under the picker: the chosen scenario's full title, moves and the minutes of play
 * as the chosen track plays them (a 90-minute track must not read "125 minutes"). */
function showFacts() {
  const chosen = track.selectedOptions[0]?.dataset.facts || scenario.selectedOptions[0]?.dataset.facts;
  if (facts && chosen) facts.textContent = chosen;
}

/** Offer the tracks of the chosen scenario only (the first is "whole scenario"). */
function showTracks() {
  let first = null;
  for (const option of track.options) {
    option.hidden = option.dataset.scenario !== scenario.value;
    option.disabled = option.hidden;
    if (!option.hidden && !first) first = option;
  }
  if (track.selectedOptions[0]?.hidden && first) first.selected = true;
  showFacts();
}
scenario.addEventListener("change", showTracks);
track.addEventListener("change", showFacts);
showTracks();

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
