// The facilitator's list of sessions: create a new one from a scenario with the JSON API.
import { $, localiseTimes } from "./lib/dom.js";

localiseTimes();

const token = document.body.dataset.token;
const form = $("#create-form");
const errorBox = $("#create-error");

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
      body: JSON.stringify({ scenario: $("#create-scenario").value, title: $("#create-title-input").value.trim() }),
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
