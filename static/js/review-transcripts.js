// Transcripts: the messages of every channel, narrowed by the filter form; read page by page.

import { el, getJSON, pill } from "./review-common.js";

export function startTranscripts(debounce) {
  const form = document.getElementById("transcript-filters");
  const list = document.getElementById("transcript-list");
  const count = document.getElementById("transcript-count");
  const more = document.getElementById("transcript-more");
  if (!form) return;
  let offset = 0;
  let request = 0;

  const params = () => Object.fromEntries(new FormData(form).entries());

  const row = (message) =>
    el("li", `rv-msg d-${message.delegation}`, [
      el("span", "rv-clock", message.clock),
      " ",
      pill(message.channel, "channel"),
      " ",
      el("strong", null, message.author || "?"),
      el("span", "rv-muted", ` (${message.delegation})`),
      el("span", "rv-msg-text", message.text),
    ]);

  const load = async (append) => {
    const mine = ++request;
    offset = append ? offset : 0;
    try {
      const data = await getJSON("transcripts.json", { ...params(), offset });
      if (mine !== request) return; // a newer filter has been typed since
      const rows = data.messages.map(row);
      if (append) list.append(...rows);
      else list.replaceChildren(...rows);
      offset = data.offset + data.messages.length;
      count.textContent = `${data.total} message(s)${data.total ? "" : " match these filters"}`;
      more.hidden = offset >= data.total;
    } catch (error) {
      count.textContent = `Could not load the transcripts: ${error.message}`;
    }
  };

  const reload = debounce(() => load(false), 250);
  form.addEventListener("input", reload);
  form.addEventListener("change", reload);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    load(false);
  });
  more.addEventListener("click", () => load(true));
  load(false);
}
