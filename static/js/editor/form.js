// A form for one file of a scenario, generated from its JSON Schema (GET /api/library/schema):
// objects as groups, lists with add / remove / reorder, text, numbers, switches, choices, and a
// picker for every field that names an id ("x-ref"). Each change becomes an edit op
// ({file, path, op, value}) that the editor sends to the server, which rewrites the YAML.
import { el, replace } from "../lib/dom.js";
import { HINTS, LONG, label, singular } from "./labels.js";
import { KIND_WORDS, freshId, keyRefKind, refKind } from "./refs.js";

/** The DOM id of the control for `path` in `file` ("f-injects-injects-0-deadline_minutes"). */
export function fieldId(file, path) {
  const key = file.replace(/\.yaml$/, "");
  return `f-${key}-${path.map((p) => String(p).replace(/[^A-Za-z0-9_-]/g, "_")).join("-")}`.replace(/-$/, "");
}

const get = (data, path) => path.reduce((node, key) => (node === null || node === undefined ? undefined : node[key]), data);
const isObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);
const short = (text, n = 70) => {
  const line = String(text ?? "").replace(/\s+/g, " ").trim();
  return line.length > n ? `${line.slice(0, n - 1)}…` : line;
};

export class SchemaForm {
  /**
   * @param {HTMLElement} root
   * @param {{file: string, schema: object, emit: (ops: object[], how: object) => void, refs: () => object}} options
   *   emit(ops, {key, debounce, structural}) hands edit ops to the editor.
   */
  constructor(root, { file, schema, emit, refs }) {
    this.root = root;
    this.file = file;
    this.schema = schema;
    this.defs = schema.$defs || schema.definitions || {};
    this.emit = emit;
    this.refs = refs;
    this.open = new Set(); // paths (JSON) of list items the reader opened
    this.data = null;
  }

  // --- schema helpers ---------------------------------------------------------------------
  resolve(s) {
    let node = s || {};
    for (let guard = 0; node.$ref && guard < 20; guard += 1) {
      const name = node.$ref.split("/").pop();
      const { $ref, ...rest } = node;
      node = { ...(this.defs[name] || {}), ...rest };
    }
    if (Array.isArray(node.allOf) && node.allOf.length === 1) {
      const { allOf, ...rest } = node;
      node = { ...this.resolve(allOf[0]), ...rest };
    }
    return node;
  }

  /** {s, optional}: the schema with a null alternative taken off (an optional field). */
  unwrap(raw) {
    const s = this.resolve(raw);
    if (!Array.isArray(s.anyOf)) return { s, optional: false };
    const variants = s.anyOf.map((v) => this.resolve(v));
    const real = variants.filter((v) => v.type !== "null");
    const optional = real.length < variants.length;
    const { anyOf, ...outer } = s;
    if (real.length === 1) return { s: { ...real[0], ...outer, "x-ref": outer["x-ref"] ?? real[0]["x-ref"] }, optional };
    return { s: { ...outer, anyOf: real }, optional };
  }

  kind(s) {
    if (s.anyOf) {
      const consts = s.anyOf.filter((v) => v.const !== undefined);
      const lists = s.anyOf.filter((v) => v.type === "array");
      if (consts.length === 1 && lists.length === 1) return "all-or-list";
      if (s.anyOf.every((v) => v.type === "string" || typeof v.const === "string")) return "string";
      return this.kind(this.resolve(s.anyOf[0]));
    }
    if (Array.isArray(s.enum)) return "enum";
    if (s.const !== undefined) return "const";
    if (s.type === "object" || s.properties) return s.properties ? "object" : "map";
    if (s.type === "array") return this.resolve(s.items).properties ? "list" : "scalars";
    if (s.type === "integer" || s.type === "number") return "number";
    if (s.type === "boolean") return "boolean";
    return "string";
  }

  /** A value to start a new item with: required fields filled so the item is close to valid. */
  template(raw, name, path) {
    const { s } = this.unwrap(raw);
    const kind = this.kind(s);
    const refs = this.refs();
    if (kind === "object") {
      const value = {};
      for (const key of s.required || []) value[key] = this.template(s.properties[key], key, [...path, key]);
      if (s.properties.trigger && value.trigger === "scheduled" && s.properties.offset_minutes) value.offset_minutes = 0;
      if (s.properties.lead && s.properties.title && !("lead" in value)) value.lead = true;
      return value;
    }
    if (kind === "list" || kind === "scalars") {
      return (s.minItems || 0) > 0 ? [this.template(s.items, path[path.length - 1], [...path, 0])] : [];
    }
    if (kind === "map") return {};
    if (kind === "all-or-list") return s.anyOf.find((v) => v.const !== undefined).const;
    if (kind === "enum") return s.default ?? s.enum[0];
    if (kind === "const") return s.const;
    if (kind === "boolean") return s.default ?? false;
    if (kind === "number") {
      if (name === "order") return (refs.inject?.length || 0) + 1;
      return s.default ?? (s.minimum !== undefined && s.minimum > 0 ? s.minimum : 0);
    }
    const ref = refKind(s, name, path[path.length - 3]);
    if (ref) return refs[ref]?.[0]?.id ?? "";
    if (name === "id") {
      const list = path[path.length - 3];
      const kindOf = { injects: "inject", response_options: "option", roles: "role", objectives: "objective", red_lines: "red_line",
        sources: "source", challenges: "challenge", indicators: "indicator", moves: "move", tracks: "track", theory_prompts: "theory" }[list];
      return freshId(refs, kindOf || list, `new-${singular(list).replace(/ /g, "-")}`);
    }
    if (name === "colour" || (s.pattern && s.pattern.includes("#"))) return "#6b7280";
    if (s.format === "date" || name === "date") return new Date().toISOString().slice(0, 10);
    return s.default ?? "";
  }

  // --- rendering --------------------------------------------------------------------------
  render(data) {
    this.data = data;
    if (data === null || data === undefined) {
      replace(this.root, el("p", { class: "form-error", text: `${this.file} cannot be read as YAML, so the form cannot show it. Fix it in the YAML view beside the form (the checks above say where).` }));
      return;
    }
    const top = this.resolve(this.schema);
    replace(this.root, this.objectFields(top, data, [], 0));
  }

  objectFields(s, value, path, depth) {
    const required = new Set(s.required || []);
    // JSON answers sort their keys; "x-order" keeps the order the format documents.
    const names = Array.isArray(s["x-order"]) ? s["x-order"] : Object.keys(s.properties || {});
    return names.filter((name) => s.properties?.[name]).map((name) =>
      this.field(s.properties[name], name, get(value, [name]), [...path, name], required.has(name), depth));
  }

  field(raw, name, value, path, required, depth) {
    const { s, optional: nullable } = this.unwrap(raw);
    const optional = nullable || !required;
    const kind = this.kind(s);
    const parentName = path[path.length - 3];
    if (kind === "object") return this.objectGroup(s, name, value, path, optional, depth);
    if (kind === "list") return this.listGroup(s, name, value, path, optional, depth);
    if (kind === "map") return this.mapGroup(s, name, value, path, optional);
    if (kind === "all-or-list") return this.allOrList(s, name, value, path);
    if (kind === "scalars") return this.scalarList(s, name, value, path, optional, parentName);
    return this.scalarField(s, kind, name, value, path, optional, parentName);
  }

  hint(s, name, id) {
    const text = HINTS[name] || s.description;
    return text && typeof name === "string" ? el("p", { class: "hint", id, text: short(text, 220) }) : null;
  }

  scalarField(s, kind, name, value, path, optional, parentName) {
    const id = fieldId(this.file, path);
    const hintId = `${id}-hint`;
    const hint = this.hint(s, name, hintId);
    const described = hint ? hintId : null;
    const ref = kind === "string" ? refKind(s, name, parentName) : "";
    let control;
    if (kind === "boolean") {
      control = el("input", { type: "checkbox", id, checked: value ?? s.default ?? false, "aria-describedby": described });
      control.addEventListener("change", () => this.set(path, control.checked));
      return el("div", { class: "field check", dataset: { path: JSON.stringify(path) } }, control,
        el("label", { for: id, text: label(name) }), hint);
    }
    if (kind === "enum" || ref) {
      control = el("select", { id, "aria-describedby": described, dataset: { ref: ref || "" } });
      this.fillSelect(control, ref ? this.refs()[ref] || [] : s.enum.map((v) => ({ id: String(v), label: String(v) })), value, optional || value === undefined || value === null, ref, s.default);
      control.addEventListener("change", () => (control.value === "" && optional ? this.remove(path) : this.set(path, control.value)));
    } else if (kind === "number") {
      control = el("input", {
        type: "number", id, inputmode: s.type === "integer" ? "numeric" : "decimal", step: s.type === "integer" ? "1" : "any",
        min: s.minimum ?? null, max: s.maximum ?? null, value: value ?? "", placeholder: s.default ?? null, "aria-describedby": described,
      });
      const send = (debounce) => {
        const text = control.value.trim();
        if (text === "") return optional ? this.remove(path, debounce) : this.set(path, null, debounce);
        const number = Number(text);
        if (Number.isNaN(number)) return undefined;
        return this.set(path, number, debounce);
      };
      control.addEventListener("input", () => send(true));
      control.addEventListener("change", () => send(false));
    } else {
      const long = LONG.has(name);
      control = el(long ? "textarea" : "input", {
        id, rows: long ? (["body", "public_briefing", "private_briefing"].includes(name) ? 6 : 3) : null,
        value: value === undefined || value === null ? "" : String(value), placeholder: s.default || null,
        "aria-describedby": described, spellcheck: name === "id" || name === "code" || name === "url" ? "false" : null,
        autocomplete: "off",
      });
      const send = (debounce) => (control.value === "" && optional ? this.remove(path, debounce) : this.set(path, control.value, debounce));
      control.addEventListener("input", () => send(true));
      control.addEventListener("change", () => send(false));
    }
    return el("div", { class: "field", dataset: { path: JSON.stringify(path) } },
      el("label", { for: id }, label(name), optional ? el("span", { class: "muted small", text: " (optional)" }) : null),
      control, hint);
  }

  /** Options of a select; a value that names nothing stays visible, marked, so it can be fixed. */
  fillSelect(select, entries, value, blank, ref, fallback) {
    const current = value === undefined || value === null ? "" : String(value);
    select.dataset.blank = blank ? "1" : "";
    const options = [];
    if (blank || current === "") options.push(el("option", { value: "", text: ref ? `— choose a ${KIND_WORDS[ref] || ref} —` : fallback !== undefined ? `(default: ${fallback})` : "— not set —" }));
    for (const entry of entries) options.push(el("option", { value: entry.id, text: entry.label }));
    if (current && !entries.some((e) => e.id === current)) {
      options.push(el("option", { value: current, text: `${current} — does not exist` }));
    }
    replace(select, options);
    select.value = current;
  }

  objectGroup(s, name, value, path, optional, depth) {
    const id = fieldId(this.file, path);
    if (!isObject(value)) {
      return el("div", { class: "field add-optional", id, tabindex: "-1", dataset: { path: JSON.stringify(path) } },
        el("button", { type: "button", class: "secondary small", on: { click: () => this.set(path, this.template(s, name, path), false, true) } }, `Add ${label(name).toLowerCase()}`),
        this.hint(s, name, `${id}-hint`));
    }
    return el("fieldset", { class: ["group", `depth-${depth}`], id, tabindex: "-1", dataset: { path: JSON.stringify(path) } },
      el("legend", { text: label(name) }),
      this.hint(s, name, `${id}-hint`),
      optional ? el("p", { class: "group-tools" }, el("button", { type: "button", class: "link danger small", on: { click: () => this.remove(path, false, true) } }, `Remove ${label(name).toLowerCase()}`)) : null,
      this.objectFields(s, value, path, depth + 1));
  }

  itemLabel(item, index, noun) {
    if (!isObject(item)) return `${noun} ${index + 1}`;
    const key = item.id ?? item.code ?? item.move ?? item.warning ?? item.option ?? item.indicator ?? item.inject;
    const words = item.title ?? item.name ?? item.text ?? item.subject;
    const head = `${noun.replace(/^./, (c) => c.toUpperCase())} ${index + 1}`;
    return [head, key !== undefined && key !== "" ? String(key) : null, words ? short(words, 60) : null].filter(Boolean).join(" · ");
  }

  listGroup(s, name, value, path, optional, depth) {
    const id = fieldId(this.file, path);
    const items = Array.isArray(value) ? value : [];
    const itemSchema = this.resolve(s.items);
    const noun = singular(name);
    const list = el("ol", { class: "items" }, items.map((item, index) => {
      const itemPath = [...path, index];
      const key = JSON.stringify([this.file, ...itemPath]);
      const details = el("details", { class: "item", id: fieldId(this.file, itemPath), dataset: { path: JSON.stringify(itemPath) } },
        el("summary", { class: "item-summary", text: this.itemLabel(item, index, noun) }),
        el("div", { class: "item-tools button-row" },
          el("button", { type: "button", class: "small", disabled: index === 0, "aria-label": `Move ${noun} ${index + 1} up`, on: { click: () => this.move(path, items, index, index - 1) } }, "↑ Up"),
          el("button", { type: "button", class: "small", disabled: index === items.length - 1, "aria-label": `Move ${noun} ${index + 1} down`, on: { click: () => this.move(path, items, index, index + 1) } }, "↓ Down"),
          el("button", { type: "button", class: "small danger-outline", "aria-label": `Remove ${noun} ${index + 1}`, on: { click: () => this.send([{ op: "delete", path: itemPath }], { structural: true, focus: id }) } }, "Remove")),
        this.objectFields(itemSchema, item, itemPath, depth + 1));
      details.open = this.open.has(key);
      details.addEventListener("toggle", () => (details.open ? this.open.add(key) : this.open.delete(key)));
      return el("li", {}, details);
    }));
    const add = el("button", { type: "button", class: "secondary small add-item", on: { click: () => {
      const value = this.template(itemSchema, null, [...path, items.length]);
      this.open.add(JSON.stringify([this.file, ...path, items.length]));
      const focus = fieldId(this.file, [...path, items.length]);
      if (Array.isArray(get(this.data, path))) this.send([{ op: "append", path, value }], { structural: true, focus });
      else this.set(path, [value], false, true);
    } } }, `Add ${noun}`);
    return el("fieldset", { class: ["group", "list-group", `depth-${depth}`], id, tabindex: "-1", dataset: { path: JSON.stringify(path) } },
      el("legend", {}, label(name), el("span", { class: "muted small", text: ` (${items.length})` })),
      this.hint(s, name, `${id}-hint`), list, add);
  }

  move(path, items, from, to) {
    if (to < 0 || to >= items.length) return;
    this.open.delete(JSON.stringify([this.file, ...path, from]));
    this.open.add(JSON.stringify([this.file, ...path, to]));
    this.send([{ op: "delete", path: [...path, from] }, { op: "insert", path: [...path, to], value: items[from] }], { structural: true, focus: fieldId(this.file, [...path, to]) });
  }

  scalarList(s, name, value, path, optional, parentName) {
    const id = fieldId(this.file, path);
    const items = Array.isArray(value) ? value : [];
    const itemSchema = this.resolve(s.items);
    const ref = refKind({ ...itemSchema, "x-ref": s["x-ref"] ?? itemSchema["x-ref"] }, name, parentName);
    const refs = this.refs();
    if (ref === "delegation") {
      // A few codes: a tick box each.
      const codes = (refs.delegation || []).map((d) => d.id);
      for (const code of items) if (!codes.includes(code)) codes.push(code);
      const boxes = codes.map((code, index) => {
        const box = el("input", { type: "checkbox", id: index === 0 ? id : `${id}-${code}`, value: code, checked: items.includes(code) });
        box.addEventListener("change", () => {
          const picked = Array.from(group.querySelectorAll("input[type=checkbox]")).filter((b) => b.checked).map((b) => b.value);
          if (!picked.length && optional) this.remove(path);
          else this.set(path, picked);
        });
        return el("span", { class: "check inline-check" }, box, el("label", { for: box.id, text: code }));
      });
      const group = el("fieldset", { class: "group pick-group", dataset: { path: JSON.stringify(path) } },
        el("legend", {}, label(name), optional ? el("span", { class: "muted small", text: " (optional)" }) : null), this.hint(s, name, `${id}-hint`), el("div", { class: "audience-picks" }, boxes));
      if (!boxes.length) group.appendChild(el("p", { class: "muted small", text: "No delegation yet." }));
      return group;
    }
    const rows = items.map((item, index) => {
      const itemPath = [...path, index];
      const rowId = fieldId(this.file, itemPath);
      let control;
      if (ref) {
        control = el("select", { id: rowId, "aria-label": `${label(name)} ${index + 1}`, dataset: { ref } });
        this.fillSelect(control, refs[ref] || [], item, false, ref);
        control.addEventListener("change", () => this.set(itemPath, control.value));
      } else {
        control = el("input", { id: rowId, value: item ?? "", "aria-label": `${label(name)} ${index + 1}` });
        control.addEventListener("input", () => this.set(itemPath, control.value, true));
        control.addEventListener("change", () => this.set(itemPath, control.value));
      }
      return el("li", { class: "scalar-row", dataset: { path: JSON.stringify(itemPath) } }, control,
        el("button", { type: "button", class: "small", "aria-label": `Remove ${label(name).toLowerCase()} ${index + 1}`, on: { click: () => this.remove(itemPath, false, true) } }, "Remove"));
    });
    const add = el("button", { type: "button", class: "secondary small add-item", on: { click: () => {
      const used = new Set(items);
      const next = ref ? (refs[ref] || []).find((r) => !used.has(r.id))?.id ?? "" : "";
      if (Array.isArray(get(this.data, path))) this.send([{ op: "append", path, value: next }], { structural: true, focus: fieldId(this.file, [...path, items.length]) });
      else this.set(path, [next], false, true);
    } } }, `Add ${ref ? KIND_WORDS[ref] : singular(name)}`);
    return el("fieldset", { class: "group scalar-list", id, tabindex: "-1", dataset: { path: JSON.stringify(path) } },
      el("legend", {}, label(name), optional ? el("span", { class: "muted small", text: " (optional)" }) : null),
      this.hint(s, name, `${id}-hint`), el("ul", { class: "scalar-rows" }, rows), add);
  }

  mapGroup(s, name, value, path, optional) {
    const id = fieldId(this.file, path);
    const refs = this.refs();
    const ref = keyRefKind(s, name);
    if (!isObject(value)) {
      return el("div", { class: "field add-optional", id, tabindex: "-1", dataset: { path: JSON.stringify(path) } },
        el("span", { class: "muted small", text: `${label(name)}: none. ` }),
        el("button", { type: "button", class: "secondary small", on: { click: () => this.set(path, {}, false, true) } }, `Add ${label(name).toLowerCase()}`),
        this.hint(s, name, `${id}-hint`));
    }
    const valueSchema = this.resolve(Object.values(s.patternProperties || {})[0] || (isObject(s.additionalProperties) ? s.additionalProperties : {}));
    const entries = Object.entries(value);
    const rows = entries.map(([key, amount]) => {
      const entryPath = [...path, key];
      const valueId = fieldId(this.file, entryPath);
      const keyId = `${valueId}--key`;
      let keyControl;
      if (ref) {
        keyControl = el("select", { id: keyId, "aria-label": `${KIND_WORDS[ref] || "key"} of this row`, dataset: { ref } });
        this.fillSelect(keyControl, refs[ref] || [], key, false, ref);
      } else {
        keyControl = el("input", { id: keyId, value: key, "aria-label": "Name" });
      }
      keyControl.addEventListener("change", () => {
        const fresh = keyControl.value.trim();
        if (!fresh || fresh === key) return;
        this.send([{ op: "delete", path: entryPath }, { op: "set", path: [...path, fresh], value: amount }], { structural: true, focus: `${fieldId(this.file, [...path, fresh])}--key` });
      });
      const amountControl = el("input", { type: "number", id: valueId, step: "1", min: valueSchema.minimum ?? null, max: valueSchema.maximum ?? null, value: amount ?? "", "aria-label": `Points or change for ${key}` });
      const sendAmount = (debounce) => {
        if (amountControl.value.trim() === "" || Number.isNaN(Number(amountControl.value))) return;
        this.set(entryPath, Number(amountControl.value), debounce);
      };
      amountControl.addEventListener("input", () => sendAmount(true));
      amountControl.addEventListener("change", () => sendAmount(false));
      return el("li", { class: "map-row", dataset: { path: JSON.stringify(entryPath) } }, keyControl, amountControl,
        el("button", { type: "button", class: "small", "aria-label": `Remove ${key}`, on: { click: () => this.remove(entryPath, false, true) } }, "Remove"));
    });
    const add = el("button", { type: "button", class: "secondary small add-item", on: { click: () => {
      const next = ref ? (refs[ref] || []).find((r) => !(r.id in value))?.id : `key-${entries.length + 1}`;
      if (!next) return;
      this.send([{ op: "set", path: [...path, next], value: 0 }], { structural: true, focus: `${fieldId(this.file, [...path, next])}--key` });
    } } }, `Add ${ref ? KIND_WORDS[ref] : "entry"}`);
    return el("fieldset", { class: "group map-group", id, tabindex: "-1", dataset: { path: JSON.stringify(path) } },
      el("legend", {}, label(name), optional ? el("span", { class: "muted small", text: " (optional)" }) : null),
      this.hint(s, name, `${id}-hint`),
      optional ? el("p", { class: "group-tools" }, el("button", { type: "button", class: "link danger small", on: { click: () => this.remove(path, false, true) } }, `Remove ${label(name).toLowerCase()}`)) : null,
      el("ul", { class: "map-rows" }, rows), add);
  }

  /** "all" or a list of delegation codes (an inject's audience). */
  allOrList(s, name, value, path) {
    const id = fieldId(this.file, path);
    const constant = s.anyOf.find((v) => v.const !== undefined).const;
    const codes = (this.refs().delegation || []).map((d) => d.id);
    const chosen = Array.isArray(value) ? value : [];
    for (const code of chosen) if (!codes.includes(code)) codes.push(code);
    const everyone = el("input", { type: "radio", name: id, id, value: "all", checked: value === constant });
    const some = el("input", { type: "radio", name: id, id: `${id}-some`, value: "some", checked: value !== constant });
    const boxes = codes.map((code) => el("input", { type: "checkbox", id: `${id}-${code}`, value: code, checked: chosen.includes(code), disabled: value === constant }));
    const send = () => {
      if (everyone.checked) return this.set(path, constant, false, true);
      const picked = boxes.filter((b) => b.checked).map((b) => b.value);
      return this.set(path, picked.length ? picked : [codes[0]].filter(Boolean), false, true);
    };
    everyone.addEventListener("change", send);
    some.addEventListener("change", send);
    for (const box of boxes) box.addEventListener("change", send);
    return el("fieldset", { class: "group pick-group", dataset: { path: JSON.stringify(path) } },
      el("legend", { text: label(name) }),
      el("div", { class: "check" }, everyone, el("label", { for: id, text: "All delegations" })),
      el("div", { class: "check" }, some, el("label", { for: `${id}-some`, text: "Only these delegations (confidential):" })),
      el("div", { class: "audience-picks" }, boxes.map((box) => el("span", { class: "check inline-check" }, box, el("label", { for: box.id, text: box.value })))));
  }

  // --- ops --------------------------------------------------------------------------------
  set(path, value, debounce = false, structural = false) {
    this.send([{ op: "set", path, value }], { debounce, structural, key: JSON.stringify(path) });
  }

  remove(path, debounce = false, structural = false) {
    this.send([{ op: "delete", path }], { debounce, structural, key: JSON.stringify(path) });
  }

  send(ops, how) {
    this.emit(ops.map((op) => ({ file: this.file, ...op })), how);
  }

  // --- keeping it in step -----------------------------------------------------------------
  /** New ids may exist (or be gone): refill every picker, keeping what each one shows. */
  refreshPickers(data) {
    this.data = data;
    const refs = this.refs();
    for (const select of this.root.querySelectorAll("select[data-ref]")) {
      const ref = select.dataset.ref;
      if (!ref) continue;
      this.fillSelect(select, refs[ref] || [], select.value, select.dataset.blank === "1", ref);
    }
    for (const details of this.root.querySelectorAll("details.item")) {
      const path = JSON.parse(details.dataset.path);
      const listName = path[path.length - 2];
      const summary = details.querySelector(":scope > summary");
      const text = this.itemLabel(get(data, path), path[path.length - 1], singular(listName));
      if (summary.textContent !== text) summary.textContent = text;
    }
  }

  /** True when the form has a control or group for exactly this path. */
  hasControl(path) {
    const id = fieldId(this.file, path);
    return Boolean(document.getElementById(id) || document.getElementById(`${id}--key`));
  }

  /** The element to show for a problem at `path`: its control, else the nearest group. */
  target(path) {
    for (let n = path.length; n >= 0; n -= 1) {
      const id = fieldId(this.file, path.slice(0, n));
      const node = document.getElementById(`${id}--key`) || document.getElementById(id);
      if (node && this.root.contains(node)) return node;
    }
    return null;
  }
}
