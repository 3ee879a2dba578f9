// The ids a scenario defines, by kind, for the pickers of fields that name one ("x-ref" in the
// schema): an option, a delegation, a source... A picker offers only ids that exist, so a
// reference made in the form cannot dangle.

const list = (value) => (Array.isArray(value) ? value : []);
const short = (text, n = 60) => {
  const line = String(text ?? "").replace(/\s+/g, " ").trim();
  return line.length > n ? `${line.slice(0, n - 1)}…` : line;
};
const entry = (id, label) => ({ id: String(id), label: label ? `${id} — ${short(label)}` : String(id) });

/** {kind: [{id, label}]} from the parsed three files (a file that does not parse adds nothing). */
export function collectRefs(data) {
  const scenario = data["scenario.yaml"] || {};
  const delegations = list((data["delegations.yaml"] || {}).delegations);
  const injects = list((data["injects.yaml"] || {}).injects);
  const ok = (x) => x && typeof x === "object" && (x.id !== undefined && x.id !== null && x.id !== "");
  const refs = {
    source: list(scenario.sources).filter(ok).map((s) => entry(s.id, s.title)),
    challenge: list(scenario.challenges).filter(ok).map((c) => entry(c.id, c.title)),
    indicator: list(scenario.indicators).filter(ok).map((i) => entry(i.id, i.name)),
    move: list(scenario.moves).filter(ok).map((m) => entry(m.id, m.title)),
    track: list(scenario.tracks).filter(ok).map((t) => entry(t.id, t.title)),
    theory: list(scenario.debrief?.theory_prompts).filter(ok).map((t) => entry(t.id, t.title)),
    delegation: delegations.filter((d) => d && d.code).map((d) => entry(d.code, d.name)),
    role: [],
    objective: [],
    red_line: [],
    inject: injects.filter(ok).map((i) => entry(i.id, i.title)),
    option: [],
  };
  for (const d of delegations) {
    refs.role.push(...list(d?.roles).filter(ok).map((r) => entry(r.id, r.title)));
    refs.objective.push(...list(d?.objectives).filter(ok).map((o) => entry(o.id, o.text)));
    refs.red_line.push(...list(d?.red_lines).filter(ok).map((o) => entry(o.id, o.text)));
  }
  for (const i of injects) refs.option.push(...list(i?.response_options).filter(ok).map((o) => entry(o.id, o.text)));
  return refs;
}

/** Every id already used for `kind`, to make a fresh one for a new item. */
export function freshId(refs, kind, base) {
  const taken = new Set((refs[kind] || []).map((r) => r.id));
  if (!taken.has(base)) return base;
  for (let n = 2; ; n += 1) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}

// When the schema does not say what a field names, its name does (the format's conventions,
// docs/scenario-format.md): used only for fields without an "x-ref".
const BY_NAME = {
  move: "move", challenge: "challenge", sources: "source", audience: "delegation", by: "delegation",
  owner: "delegation", options: "option", option: "option", injects: "inject", inject: "inject",
  indicator: "indicator", theory: "theory",
};
const KEYS_BY_NAME = { effects: "indicator", unilateral_effects: "indicator", options: "option", move_minutes: "move" };

/** The kind of id a field names, or "" (from the schema, else from the field's name). */
export function refKind(schema, name, parentName) {
  if (schema && schema["x-ref"]) return schema["x-ref"];
  if (schema?.items?.["x-ref"]) return schema.items["x-ref"];
  if (!name || typeof name !== "string") return "";
  if (name === "move" && parentName === "moves") return "";
  return BY_NAME[name] || "";
}

/** The kind of id the keys of a map name (effects: indicators; scoring options: options). */
export function keyRefKind(schema, name) {
  if (schema && schema["x-ref-key"]) return schema["x-ref-key"];
  return KEYS_BY_NAME[name] || "";
}

export const KIND_WORDS = {
  option: "response option", delegation: "delegation", source: "source", inject: "inject", move: "move",
  track: "track", indicator: "indicator", role: "role", objective: "objective", challenge: "challenge",
  theory: "theory prompt", red_line: "red line",
};
