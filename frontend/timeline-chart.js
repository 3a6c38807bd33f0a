// The timeline chart on /timeline/: every entry of the case file on one time axis, drawn
// in SVG from ONE request (the URL in the section's data-source: the timeline dataset,
// filtered as the page is). Lanes by kind, or by actor; a partial date drawn as the range
// it covers, faded at its ends when it is circa; zoom and pan with the mouse, touch, the
// buttons or the keyboard; each mark a link to its record. The list below the chart stays
// the accessible form of the same entries.
import { axisBottom } from "d3-axis";
import { scaleUtc } from "d3-scale";
import { select } from "d3-selection";
import { zoom, zoomIdentity } from "d3-zoom";

const SVG = "http://www.w3.org/2000/svg";
const KIND_COLOURS = {
  agreement_step: "#1f5fa8",
  deployment: "#1d6b35",
  exercise: "#8a4b08",
  event: "#5b3fa0",
  affiliation: "#17606d",
};
const OTHER_COLOUR = "#454f5e";
const MILESTONE_COLOUR = "#a3231b";
const ROW = 18; // height of one row of marks in a lane
const LANE_HEAD = 24; // the lane's name above its rows
const MAX_ROWS = 6; // beyond this, a mark goes to the row it overlaps least
const ACTOR_LANES = 12;
const MARGIN = { top: 8, right: 12, bottom: 28, left: 12 };
const DAY = 86400000;

const utc = (iso) => Date.UTC(+iso.slice(0, 4), +iso.slice(5, 7) - 1, +iso.slice(8, 10));

function element(name, attributes = {}, parent = null) {
  const node = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
  if (parent) parent.appendChild(node);
  return node;
}

function html(name, attributes = {}, text = "") {
  const node = document.createElement(name);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
  if (text) node.textContent = text;
  return node;
}

// One mark per record: a deployment's or an affiliation's start entry carries its end, so
// the end entry is drawn by it (an end without a start stays a mark of its own).
function marksOf(data) {
  const started = new Set(data.entries.filter((e) => e.phase === "start").map((e) => `${e.type}:${e.slug}`));
  return data.entries
    .filter((e) => !(e.phase === "end" && started.has(`${e.type}:${e.slug}`)))
    .map((e, index) => {
      const from = utc(e.date.earliest);
      const to = utc((e.end || e.date).latest) + DAY; // through the whole last day
      const when = e.end && e.phase !== "end" ? `${e.date.display} – ${e.end.display}` : e.date.display;
      return {
        index,
        entry: e,
        from,
        to,
        // A date known to the day, with no end, is a point; anything else covers a range.
        point: e.date.precision === "day" && !e.end,
        span: Boolean(e.end) && e.phase !== "end",
        circa: e.date.circa || Boolean(e.end && e.end.circa),
        milestone: e.collections.length > 0,
        label: `${e.title} (${when})`,
      };
    });
}

function lanesByKind(data, marks) {
  return data.types
    .map((type) => ({ key: type.key, label: type.label, marks: marks.filter((m) => m.entry.type === type.key) }))
    .filter((lane) => lane.marks.length);
}

function lanesByActor(marks) {
  const counts = new Map();
  for (const mark of marks) {
    for (const actor of mark.entry.actors) {
      const known = counts.get(actor.slug) || { key: actor.slug, label: actor.name, marks: [] };
      known.marks.push(mark);
      counts.set(actor.slug, known);
    }
  }
  return [...counts.values()].sort((a, b) => b.marks.length - a.marks.length || a.label.localeCompare(b.label))
    .slice(0, ACTOR_LANES);
}

// Rows within a lane, so that marks overlapping in time (at the chart's first scale) sit
// one above the other.
function packRows(lane, x) {
  const ends = [];
  for (const mark of [...lane.marks].sort((a, b) => a.from - b.from)) {
    const left = x(mark.from);
    const right = Math.max(x(mark.to), left + 10);
    let row = ends.findIndex((end) => end + 3 <= left);
    if (row === -1 && ends.length < MAX_ROWS) row = ends.length;
    if (row === -1) row = ends.indexOf(Math.min(...ends));
    ends[row] = Math.max(ends[row] ?? -Infinity, right);
    mark.rows = mark.rows || {};
    mark.rows[lane.key] = row;
  }
  return Math.max(1, ends.length);
}

class TimelineChart {
  constructor(section, data) {
    this.section = section;
    this.data = data;
    this.marks = marksOf(data);
    this.mode = "kind";
    this.transform = zoomIdentity;
    this.build();
    this.draw();
    let resizing = null;
    window.addEventListener("resize", () => {
      clearTimeout(resizing);
      resizing = setTimeout(() => this.draw(), 150);
    });
  }

  build() {
    const section = this.section;
    section.querySelector(".timeline-chart__loading")?.remove();
    const toolbar = html("div", { class: "timeline-chart__toolbar" });
    const lanes = html("div", { class: "timeline-chart__group", role: "group", "aria-label": "Lanes" });
    lanes.append(html("span", { class: "timeline-chart__group-label", "aria-hidden": "true" }, "Lanes:"));
    this.modeButtons = {};
    for (const [mode, text] of [["kind", "By kind"], ["actor", "By actor"]]) {
      const button = html("button", { type: "button", "aria-pressed": String(mode === this.mode) }, text);
      button.addEventListener("click", () => this.setMode(mode));
      this.modeButtons[mode] = button;
      lanes.append(button);
    }
    const zooms = html("div", { class: "timeline-chart__group", role: "group", "aria-label": "Zoom" });
    for (const [text, label, action] of [
      ["+", "Zoom in", () => this.zoomBy(2)],
      ["−", "Zoom out", () => this.zoomBy(0.5)],
      ["←", "Earlier", () => this.panBy(1)],
      ["→", "Later", () => this.panBy(-1)],
      ["Reset zoom", null, () => this.reset()],
    ]) {
      const button = html("button", label ? { type: "button", "aria-label": label, title: label } : { type: "button" }, text);
      button.addEventListener("click", action);
      zooms.append(button);
    }
    toolbar.append(lanes, zooms);

    this.frame = html("div", {
      class: "timeline-chart__frame",
      role: "group",
      tabindex: "0",
      "aria-label": "Timeline chart. Each mark links to its record. Keys: + and − zoom, arrows pan, 0 resets.",
      "aria-describedby": "timeline-chart-note",
    });
    this.frame.addEventListener("keydown", (event) => this.onKey(event));
    this.svg = element("svg", { class: "timeline-chart__svg", "aria-labelledby": "timeline-chart-heading" });
    this.frame.append(this.svg);

    this.note = html("p", { class: "timeline-chart__note muted", id: "timeline-chart-note" });
    section.append(toolbar, this.frame, this.legend(), this.note);
  }

  legend() {
    const legend = html("ul", { class: "timeline-chart__legend", "aria-label": "Legend" });
    for (const type of this.data.types) {
      if (!this.marks.some((m) => m.entry.type === type.key)) continue;
      const item = html("li");
      const swatch = html("span", { class: "timeline-chart__swatch", "aria-hidden": "true" });
      swatch.style.background = KIND_COLOURS[type.key] || OTHER_COLOUR;
      item.append(swatch, document.createTextNode(type.label));
      legend.append(item);
    }
    const extra = [
      ["timeline-chart__swatch timeline-chart__swatch--range", "a date known to the month, season or year: the range it covers"],
      ["timeline-chart__swatch timeline-chart__swatch--circa", "circa: fades at its ends"],
    ];
    if (this.marks.some((m) => m.milestone)) {
      const titles = this.data.collections.map((c) => c.title).join(", ");
      extra.push(["timeline-chart__swatch timeline-chart__swatch--milestone", `milestone of ${titles}`]);
    }
    for (const [className, text] of extra) {
      const item = html("li");
      item.append(html("span", { class: className, "aria-hidden": "true" }), document.createTextNode(text));
      legend.append(item);
    }
    return legend;
  }

  setMode(mode) {
    this.mode = mode;
    for (const [name, button] of Object.entries(this.modeButtons)) button.setAttribute("aria-pressed", String(name === mode));
    this.draw();
  }

  lanes() {
    return this.mode === "kind" ? lanesByKind(this.data, this.marks) : lanesByActor(this.marks);
  }

  draw() {
    const width = Math.max(280, this.frame.clientWidth);
    const inner = width - MARGIN.left - MARGIN.right;
    const first = Math.min(...this.marks.map((m) => m.from));
    const last = Math.max(...this.marks.map((m) => m.to));
    const pad = Math.max((last - first) * 0.02, 30 * DAY);
    this.x = scaleUtc().domain([new Date(first - pad), new Date(last + pad)]).range([MARGIN.left, MARGIN.left + inner]);
    const lanes = this.lanes();
    let top = MARGIN.top;
    for (const lane of lanes) {
      lane.top = top;
      lane.rows = packRows(lane, this.x);
      top += LANE_HEAD + lane.rows * ROW + 6;
    }
    const height = top + MARGIN.bottom;
    this.height = height;
    this.width = width;
    const svg = this.svg;
    svg.replaceChildren();
    svg.setAttribute("width", width);
    svg.setAttribute("height", height);
    svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
    this.gradients(svg);

    const clipId = "timeline-chart-clip";
    const clip = element("clipPath", { id: clipId }, element("defs", {}, svg));
    element("rect", { x: MARGIN.left, y: 0, width: inner, height }, clip);

    const bands = element("g", { class: "timeline-chart__lanes" }, svg);
    for (const [i, lane] of lanes.entries()) {
      const laneHeight = LANE_HEAD + lane.rows * ROW;
      element("rect", {
        x: 0, y: lane.top - 2, width, height: laneHeight + 4,
        class: i % 2 ? "timeline-chart__band timeline-chart__band--odd" : "timeline-chart__band",
      }, bands);
      const name = element("text", { x: MARGIN.left, y: lane.top + 12, class: "timeline-chart__lane-label" }, bands);
      name.textContent = `${lane.label} (${lane.marks.length})`;
    }
    // Lines at the axis's ticks through every lane, so a mark far from the axis still reads.
    this.gridGroup = element("g", { class: "timeline-chart__grid", "aria-hidden": "true" }, svg);
    this.axisGroup = element("g", { class: "timeline-chart__axis", transform: `translate(0,${height - MARGIN.bottom})` }, svg);
    this.markGroup = element("g", { "clip-path": `url(#${clipId})` }, svg);
    this.items = [];
    for (const lane of lanes) {
      for (const mark of lane.marks) this.items.push(this.drawMark(mark, lane));
    }
    this.zoom = zoom()
      .scaleExtent([1, 400])
      .translateExtent([[MARGIN.left, 0], [MARGIN.left + inner, height]])
      .extent([[MARGIN.left, 0], [MARGIN.left + inner, height]])
      // A wheel zooms only with Ctrl (a trackpad's pinch): a plain wheel scrolls the page.
      .filter((event) => (event.type === "wheel" ? event.ctrlKey : !event.button))
      .on("zoom", (event) => this.onZoom(event.transform));
    select(svg).call(this.zoom).on("dblclick.zoom", null);
    // Vertical swipes scroll the page on a phone; horizontal drags pan the chart.
    svg.style.touchAction = "pan-y";
    select(svg).call(this.zoom.transform, this.transform);
    this.onZoom(this.transform);
    const shown = new Set(lanes.flatMap((lane) => lane.marks)).size;
    this.note.textContent =
      this.mode === "actor"
        ? `Lanes for the ${lanes.length} actors named most often: ${shown} of ${this.marks.length} marks. The list below has every entry.`
        : `${this.marks.length} marks (a deployment or membership is one bar from its start to its end). The list below has every entry.`;
  }

  gradients(svg) {
    const defs = element("defs", {}, svg);
    for (const colour of [...Object.values(KIND_COLOURS), OTHER_COLOUR]) {
      const gradient = element("linearGradient", { id: `circa-${colour.slice(1)}`, x1: "0", x2: "1", y1: "0", y2: "0" }, defs);
      for (const [offset, opacity] of [[0, 0], [0.3, 1], [0.7, 1], [1, 0]]) {
        element("stop", { offset, "stop-color": colour, "stop-opacity": opacity }, gradient);
      }
    }
  }

  drawMark(mark, lane) {
    const entry = mark.entry;
    const colour = KIND_COLOURS[entry.type] || OTHER_COLOUR;
    const y = lane.top + LANE_HEAD + mark.rows[lane.key] * ROW + ROW / 2 - 2;
    const link = element("a", {
      href: entry.page_url,
      class: `timeline-chart__mark timeline-chart__mark--${entry.type}${mark.milestone ? " is-milestone" : ""}`,
      "data-slug": entry.slug,
      "data-type": entry.type,
      "aria-label": mark.milestone ? `${mark.label}. Milestone.` : mark.label,
    }, this.markGroup);
    element("title", {}, link).textContent = mark.label;
    let shape;
    if (mark.point) {
      shape = element("circle", { cy: y, r: 5, fill: colour }, link);
    } else {
      shape = element("rect", {
        y: y - 5,
        height: 10,
        rx: 3,
        fill: mark.circa ? `url(#circa-${colour.slice(1)})` : colour,
        "fill-opacity": mark.span || mark.circa ? 1 : 0.55,
        stroke: mark.circa ? "none" : colour,
      }, link);
    }
    let flag = null;
    if (mark.milestone) {
      flag = element("path", { class: "timeline-chart__milestone", fill: MILESTONE_COLOUR, stroke: "#fff", "stroke-width": 1 }, link);
    }
    // A wider, invisible target: a day's dot is hard to hit with a finger.
    const target = element("rect", { class: "timeline-chart__target", y: y - ROW / 2, height: ROW, fill: "transparent" }, link);
    return { mark, shape, flag, target, y };
  }

  onZoom(transform) {
    this.transform = transform;
    const x = transform.rescaleX(this.x);
    const ticks = Math.max(2, Math.floor(this.width / 90));
    select(this.axisGroup).call(axisBottom(x).ticks(ticks).tickSizeOuter(0));
    this.gridGroup.replaceChildren();
    for (const tick of x.ticks(ticks)) {
      const at = x(tick);
      element("line", { x1: at, x2: at, y1: MARGIN.top, y2: this.height - MARGIN.bottom }, this.gridGroup);
    }
    for (const { mark, shape, flag, target, y } of this.items) {
      const left = x(mark.from);
      const right = x(mark.to);
      let centre;
      if (mark.point) {
        centre = (left + right) / 2;
        shape.setAttribute("cx", centre);
        target.setAttribute("x", centre - 9);
        target.setAttribute("width", 18);
      } else {
        const w = Math.max(4, right - left);
        shape.setAttribute("x", left);
        shape.setAttribute("width", w);
        target.setAttribute("x", Math.min(left, left + w / 2 - 9));
        target.setAttribute("width", Math.max(w, 18));
        // A bar that begins off to the left keeps its milestone flag in view.
        centre = Math.max(left + Math.min(w, 24) / 2, Math.min(MARGIN.left + 6, left + w - 6));
      }
      if (flag) flag.setAttribute("d", `M${centre},${y - 14} l6,6 l-6,6 l-6,-6 z`);
    }
  }

  zoomBy(factor) {
    this.zoom.scaleBy(select(this.svg), factor);
  }

  panBy(direction) {
    this.zoom.translateBy(select(this.svg), (direction * this.width) / (4 * this.transform.k), 0);
  }

  reset() {
    this.zoom.transform(select(this.svg), zoomIdentity);
  }

  onKey(event) {
    const actions = {
      "+": () => this.zoomBy(2),
      "=": () => this.zoomBy(2),
      "-": () => this.zoomBy(0.5),
      "−": () => this.zoomBy(0.5),
      ArrowLeft: () => this.panBy(1),
      ArrowRight: () => this.panBy(-1),
      0: () => this.reset(),
    };
    const action = actions[event.key];
    if (!action || event.altKey || event.ctrlKey || event.metaKey) return;
    event.preventDefault();
    action();
  }
}

function start(section) {
  performance.mark("timeline-chart:start");
  fetch(section.dataset.source, { headers: { Accept: "application/json" }, credentials: "same-origin" })
    .then((response) => {
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      return response.json();
    })
    .then((data) => {
      performance.mark("timeline-chart:fetched");
      if (!data.entries.length) {
        section.querySelector(".timeline-chart__loading").textContent = "Nothing to draw.";
        return;
      }
      section.chart = new TimelineChart(section, data);
      performance.mark("timeline-chart:drawn");
      // The whole (request, then drawing), and the drawing alone.
      const measure = performance.measure("timeline-chart", "timeline-chart:start", "timeline-chart:drawn");
      performance.measure("timeline-chart:draw", "timeline-chart:fetched", "timeline-chart:drawn");
      section.dataset.drawn = String(data.entries.length);
      section.dataset.drawMs = String(Math.round(measure ? measure.duration : 0));
    })
    .catch(() => {
      const message = section.querySelector(".timeline-chart__loading");
      if (message) message.textContent = "The chart could not be drawn; the list below has every entry.";
    });
}

document.querySelectorAll("[data-timeline-chart]").forEach(start);
