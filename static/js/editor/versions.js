// Published versions of a scenario and what changed between two of them, in words.
import { api, download } from "../lib/api.js";
import { $, el, localDateTime, notify, replace } from "../lib/dom.js";

export class Versions {
  constructor(context) {
    this.context = context;
    this.stale = true;
    this.versions = [];
    $("#diff-form").addEventListener("submit", (event) => {
      event.preventDefault();
      this.diff();
    });
  }

  async show() {
    const answer = await api("GET", `${this.context.base}/versions`);
    if (!answer.ok) {
      replace($("#version-list"), el("p", { class: "form-error", text: answer.error.message }));
      return;
    }
    this.versions = answer.versions || [];
    this.stale = false;
    replace($("#version-list"), this.versions.length
      ? el("div", { class: "table-wrap" }, el("table", { class: "sessions version-table" },
          el("thead", {}, el("tr", {}, ["Version", "Published", "By", "Used by", ""].map((h, i) => el("th", { scope: "col" }, i === 4 ? el("span", { class: "sr-only", text: "Export" }) : h)))),
          el("tbody", {}, this.versions.slice().reverse().map((v) => el("tr", {},
            el("td", { text: `v${v.version}` }),
            el("td", { class: "small", text: localDateTime(v.published_at) || "" }),
            el("td", { class: "small", text: v.author || "" }),
            el("td", { class: "small", text: v.used_by ? `${v.used_by} session${v.used_by === 1 ? "" : "s"}` : "no session" }),
            el("td", {}, el("button", { type: "button", class: "small", "aria-label": `Export version ${v.version} as a zip`, on: { click: () => this.exportZip(v.version) } }, "Export")))))))
      : el("p", { class: "muted", text: "Not published yet: publish the draft when the checks find no error." }));
    const from = $("#diff-from");
    const to = $("#diff-to");
    const keepFrom = from.value;
    const keepTo = to.value;
    const options = () => this.versions.map((v) => el("option", { value: String(v.version), text: `Version ${v.version}` }));
    replace(from, options());
    replace(to, options(), el("option", { value: "draft", text: "The draft" }));
    const last = this.versions[this.versions.length - 1];
    from.value = keepFrom && Array.from(from.options).some((o) => o.value === keepFrom) ? keepFrom : last ? String(last.version) : "";
    to.value = keepTo && Array.from(to.options).some((o) => o.value === keepTo) ? keepTo : "draft";
    $("#diff-form button[type=submit]").disabled = !this.versions.length;
  }

  async exportZip(version) {
    const slug = document.body.dataset.slug;
    const answer = await download(`${this.context.base}/export?version=${version}`, `${slug}-v${version}.zip`);
    if (!answer.ok) notify(answer.error.message, "error");
  }

  async diff() {
    await this.context.flush();
    const from = $("#diff-from").value;
    const to = $("#diff-to").value;
    const status = $("#diff-status");
    status.textContent = "Comparing…";
    const answer = await api("GET", `${this.context.base}/diff?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`);
    if (!answer.ok) {
      status.textContent = answer.error.message;
      replace($("#diff-list"));
      return;
    }
    const changes = answer.changes || [];
    const toText = to === "draft" ? "the draft" : `version ${to}`;
    status.textContent = changes.length ? `${changes.length} change${changes.length === 1 ? "" : "s"} from version ${from} to ${toText}.` : `No change from version ${from} to ${toText}.`;
    replace($("#diff-list"), changes.map((c) => el("li", {}, el("span", { text: c.summary }), c.field ? el("span", { class: "muted small", text: ` (${c.field})` }) : null)));
  }
}
