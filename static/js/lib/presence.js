// Who is online: the roster's mark for a player (player page and console).
import { el } from "./dom.js";

/** Online or offline, in words as well as a dot (never colour alone). */
export function presenceMark(online) {
  return el("span", { class: ["presence", online ? "presence-on" : "presence-off"], dataset: { online: online ? "1" : "0" } },
    el("span", { class: "presence-dot", "aria-hidden": "true", text: online ? "●" : "○" }), online ? " online" : " offline");
}
