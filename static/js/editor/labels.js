// Words for the fields of the scenario format (docs/scenario-format.md), for an instructor who
// has never seen the YAML: the label, a short hint, and the noun for one item of a list.

export const LABELS = {
  id: "Id", title: "Title", version: "Version", summary: "Summary", source_article: "Source article",
  publisher: "Publisher", date: "Date", url: "Web address (optional)", sources: "Sources", challenges: "Challenges",
  indicators: "Indicators", name: "Name", description: "Description", min: "Lowest value", max: "Highest value",
  start: "Starting value", higher_is: "Higher is", owner: "Owned by delegation", settings: "Settings",
  indicators_visible_to_players: "Players see the indicators", unilateral_factor: "Unilateral factor",
  observers_see_bilaterals: "Observers may read the bilateral channels",
  indicators_hidden_during_moves: "Indicators hidden during moves", moves: "Moves", challenge: "Challenge",
  duration_minutes: "Duration (minutes)", debrief: "Debrief", questions: "Questions", text: "Text",
  theory: "Theory prompts", theory_prompts: "Theory prompts", hot_wash: "Hot wash", tracks: "Tracks",
  injects: "Injects", move_minutes: "Move lengths on this track (minutes)", deadline_scale: "Deadline scale",
  overlap_minutes: "Overlap allowed (minutes)", lint: "Lint", accept: "Accepted warnings", warning: "Warning",
  subject: "Subject", because: "Because", delegations: "Delegations", code: "Code", colour: "Colour",
  public_briefing: "Public briefing", private_briefing: "Private briefing", roles: "Roles (seats)", lead: "Lead role",
  objectives: "Objectives", scoring: "Scoring", options: "Response options", red_lines: "Red lines",
  briefing_updates: "Briefing updates", move: "Move", order: "Order in the move", trigger: "Trigger",
  offset_minutes: "Fires at (minutes after the move starts)", hypothetical: "Hypothetical", audience: "Audience",
  body: "Body", teaching_point: "Teaching point", expected_action: "Expected action",
  what_happened: "What happened", deadline_minutes: "Deadline (minutes)", response_options: "Response options",
  effects: "Effects", unilateral_effects: "Unilateral effects", speaker: "Speaker", condition: "Condition",
  reacts_to: "Reacts to", all: "All of", any: "Any of", none: "None of", option: "Response option",
  was: "Was", by: "By", indicator: "Indicator", at_least: "At least", at_most: "At most", inject: "Inject",
  outcome: "Outcome", delay_minutes: "Delay (minutes)", release: "Release",
};

export const HINTS = {
  id: "Lowercase letters, digits and hyphens, e.g. nk-23-missiles.",
  version: "Publish sets it: each published version takes the next number.",
  code: "2 to 5 capital letters, e.g. CHN.",
  colour: "The delegation's colour on screens, like #bc002d.",
  date: "YYYY-MM-DD (sources may use YYYY-MM).",
  public_briefing: "Every player of every delegation may read it.",
  private_briefing: "Only this delegation (and facilitators) may read it.",
  lead: "Exactly one role per delegation leads: its holder endorses joint responses.",
  offset_minutes: "Only for a scheduled inject.",
  deadline_minutes: "Minutes players have to respond after it fires (1 to 240). Leave empty for none.",
  effects: "How the option moves each indicator when it is part of an adopted joint response (-50 to 50).",
  unilateral_effects: "When a delegation states the option alone; without them the effects are scaled by the unilateral factor.",
  teaching_point: "For facilitators only.",
  expected_action: "For facilitators only.",
  what_happened: "Shown in the debrief.",
  hypothetical: "This never happened: screens label it HYPOTHETICAL.",
  unilateral_factor: "0 to 1: how much of an option's effects a unilateral statement applies.",
  trigger: "Scheduled fires by itself; manual is sent by the White Cell; a reaction answers chosen options.",
  higher_is: "Which way is good news (a gauge like escalation risk is 'worse').",
  scoring: "Points for each response option that is part of an adopted joint response.",
  order: "Its place within the move (1, 2, 3 …).",
  deadline_scale: "Deadlines on this track are multiplied by this number.",
};

const SINGULAR = {
  sources: "source", challenges: "challenge", indicators: "indicator", moves: "move", questions: "question",
  theory_prompts: "theory prompt", tracks: "track", injects: "inject", accept: "accepted warning",
  delegations: "delegation", roles: "role", objectives: "objective", red_lines: "red line",
  briefing_updates: "briefing update", response_options: "response option", all: "clause", any: "clause",
  none: "clause", options: "response option", theory: "theory prompt", by: "delegation", audience: "delegation",
};

// Fields written as paragraphs get a text area.
export const LONG = new Set([
  "summary", "description", "text", "public_briefing", "private_briefing", "body", "teaching_point",
  "expected_action", "what_happened", "because",
]);

export function label(name) {
  if (typeof name === "number") return `Item ${name + 1}`;
  return LABELS[name] || String(name).replace(/_/g, " ").replace(/^./, (c) => c.toUpperCase());
}

export function singular(name) {
  return SINGULAR[name] || "item";
}
