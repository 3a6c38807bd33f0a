// The actor network: actors as nodes, the records naming two of them as typed lines.
// Reads its one dataset from the URL in the chart's data-network-url (the page's own
// filters included), then filters live as the reader ticks tie types or sets a period,
// hiding the same rows in the table below (the chart's text alternative).
import cytoscape from "cytoscape";
import { forceCenter, forceCollide, forceLink, forceManyBody, forceSimulation, forceX, forceY } from "d3-force";

// One colour per tie type, dark enough to read on the page's paper colour.
const TIE_COLOURS = {
  agreement: "#2458a6",
  deployment: "#2e7d43",
  exercise: "#a35a12",
  event: "#6a55b5",
  affiliation: "#2a8290",
};
const KIND_COLOURS = {
  state: "#1b2230",
  international_organisation: "#0a56a3",
  person: "#8a4b08",
  military_unit: "#2e7d43",
};

function elementsFrom(data) {
  const nodes = data.nodes.map((node) => ({
    data: { id: node.slug, label: node.name, url: node.url, kind: node.kind, ties: node.ties },
  }));
  const edges = data.ties.map((tie, index) => ({
    data: {
      id: `tie-${index}`,
      source: tie.source,
      target: tie.target,
      type: tie.type,
      title: tie.record.title,
      url: tie.record.url,
      earliest: tie.earliest,
      latest: tie.latest,
    },
  }));
  return nodes.concat(edges);
}

// Positions from d3-force's Barnes–Hut simulation, run to rest before the first paint: an
// order of magnitude quicker than cytoscape's own force layout on the whole case file, which
// took over a second. The seed positions are fixed, so the same data draws the same picture.
function forcePositions(data) {
  const nodes = data.nodes.map((node, index) => ({
    id: node.slug,
    ties: node.ties,
    x: Math.cos(index) * index * 4,
    y: Math.sin(index) * index * 4,
  }));
  const links = data.ties.map((tie) => ({ source: tie.source, target: tie.target }));
  const simulation = forceSimulation(nodes)
    .force("link", forceLink(links).id((node) => node.id).distance(70).strength(0.2))
    .force("charge", forceManyBody().strength((node) => -150 - 120 * Math.sqrt(node.ties)).distanceMax(800))
    .force("collide", forceCollide((node) => 10 + Math.sqrt(node.ties) * 6))
    .force("x", forceX().strength(0.04))
    .force("y", forceY().strength(0.06))
    .force("center", forceCenter())
    .stop();
  simulation.tick(300);
  return Object.fromEntries(nodes.map((node) => [node.id, { x: node.x, y: node.y }]));
}

function style(focus) {
  return [
    {
      selector: "node",
      style: {
        "background-color": (node) => KIND_COLOURS[node.data("kind")] || "#545d6b",
        width: (node) => 10 + Math.min(26, Math.sqrt(node.data("ties")) * 4),
        height: (node) => 10 + Math.min(26, Math.sqrt(node.data("ties")) * 4),
        label: "data(label)",
        "font-size": 10,
        "font-family": "system-ui, sans-serif",
        color: "#1b2230",
        "text-valign": "bottom",
        "text-margin-y": 3,
        "text-outline-color": "#fbfaf7",
        "text-outline-width": 2,
        // The rest are named as the reader zooms in (or points at them).
        "min-zoomed-font-size": 14,
      },
    },
    // Well-tied actors are named at every zoom.
    { selector: "node.hover", style: { "min-zoomed-font-size": 0, "font-size": 12, "z-index": 20 } },
    { selector: `node[id = "${focus || ""}"]`, style: { "border-width": 3, "border-color": "#ffbf47" } },
    {
      selector: "edge",
      style: {
        width: 1.5,
        "line-color": (edge) => TIE_COLOURS[edge.data("type")] || "#545d6b",
        opacity: 0.7,
        "curve-style": "haystack",
        "haystack-radius": 0.4,
      },
    },
    { selector: ".hover", style: { opacity: 1, width: 3, "z-index": 10 } },
    { selector: ".hidden", style: { display: "none" } },
  ];
}

// The ties an actor needs to be named at every zoom: those of the dozen best-tied actors.
function namedAtEveryZoom(cy) {
  const ties = cy.nodes().map((node) => node.data("ties")).sort((a, b) => b - a);
  return Math.max(2, ties[Math.min(11, ties.length - 1)] || 2);
}

// Labels sized for the zoom the layout ends at, so the well-tied actors' names read at
// about 11 px from the start; the others' appear once the reader zooms in by half again.
function readableLabels(cy) {
  const size = 11 / cy.zoom();
  cy.style()
    .selector("node")
    .style({ "font-size": size, "min-zoomed-font-size": 16, "text-margin-y": 3 / cy.zoom() })
    .selector(`node[ties >= ${namedAtEveryZoom(cy)}], node.hover`)
    .style({ "font-size": size * 1.1, "font-weight": "bold", "min-zoomed-font-size": 0 })
    .update();
}

function chosenFilters(form) {
  if (!form) return { types: null, from: "", to: "" };
  const ticked = [...form.querySelectorAll('input[name="type"]:checked')].map((box) => box.value);
  return {
    types: ticked.length ? new Set(ticked) : null, // none ticked: every type, as on the server
    from: form.querySelector('input[name="date_from"]')?.value || "",
    to: form.querySelector('input[name="date_to"]')?.value || "",
  };
}

// A tie is kept when its type is chosen and it may fall in the period (ISO dates compare
// as text); an undated tie only when no period is set.
function keeps(filters, type, earliest, latest) {
  if (filters.types && !filters.types.has(type)) return false;
  if (!filters.from && !filters.to) return true;
  if (!earliest) return false;
  return (!filters.to || earliest <= filters.to) && (!filters.from || latest >= filters.from);
}

function applyFilters(cy, form, table) {
  const filters = chosenFilters(form);
  if (filters.from && filters.to && filters.from > filters.to) return; // the server's message explains
  cy.batch(() => {
    cy.edges().forEach((edge) => {
      const shown = keeps(filters, edge.data("type"), edge.data("earliest"), edge.data("latest"));
      edge.toggleClass("hidden", !shown);
    });
    cy.nodes().forEach((node) => {
      node.toggleClass("hidden", node.connectedEdges(":visible").length === 0);
    });
  });
  if (table) {
    table.querySelectorAll("tbody tr").forEach((row) => {
      const earliest = row.dataset.earliest || "";
      row.hidden = !keeps(filters, row.dataset.type, earliest, row.dataset.latest || earliest);
    });
  }
}

function describe(status, text) {
  if (status) status.textContent = text;
}

// Cytoscape injects a <style> for its containers (position: relative) unless an element with
// this id exists; the Content-Security-Policy refuses inline styles, and casefile.css already
// gives the chart that position, so a placeholder stands in for it.
function spareTheInlineStylesheet() {
  const id = "__________cytoscape_stylesheet";
  if (!document.getElementById(id)) {
    const placeholder = document.createElement("meta");
    placeholder.id = id;
    document.head.append(placeholder);
  }
}

async function draw(container) {
  spareTheInlineStylesheet();
  performance.mark("network-start");
  const response = await fetch(container.dataset.networkUrl, { headers: { Accept: "application/json" } });
  if (!response.ok) throw new Error(`the network could not be read (${response.status})`);
  const data = await response.json();
  performance.mark("network-fetched");
  const focus = container.dataset.focus || "";
  container.textContent = "";
  const status = document.createElement("p");
  status.className = "network__status";
  status.setAttribute("aria-live", "polite");
  container.after(status);

  const positions = focus ? null : forcePositions(data);
  performance.mark("network-laid-out");
  const cy = cytoscape({
    container,
    elements: elementsFrom(data),
    style: style(focus),
    layout: focus
      ? { name: "concentric", concentric: (node) => (node.id() === focus ? 2 : 1), levelWidth: () => 1, animate: false }
      : { name: "preset", positions, fit: true, padding: 20 },
    minZoom: 0.2,
    maxZoom: 4,
  });
  performance.mark("network-built");
  container.cy = cy; // the browser tests read the drawn network from here
  readableLabels(cy);

  cy.on("tap", "node, edge", (event) => {
    const url = event.target.data("url");
    if (url) window.location.assign(url);
  });
  cy.on("mouseover", "node", (event) => {
    const node = event.target;
    node.addClass("hover");
    node.connectedEdges().addClass("hover");
    describe(status, `${node.data("label")}: ${node.connectedEdges(":visible").length} ties`);
    container.style.cursor = "pointer";
  });
  cy.on("mouseover", "edge", (event) => {
    const edge = event.target;
    edge.addClass("hover");
    describe(status, `${edge.source().data("label")} – ${edge.target().data("label")}: ${edge.data("title")}`);
    container.style.cursor = "pointer";
  });
  cy.on("mouseout", "node, edge", () => {
    cy.elements().removeClass("hover");
    container.style.cursor = "";
  });

  const form = document.querySelector(".network-filters");
  const table = document.querySelector(".network__table");
  if (form) {
    form.addEventListener("change", () => applyFilters(cy, form, table));
  }
  applyFilters(cy, form, table);
  performance.mark("network-drawn");
  performance.measure("network", "network-start", "network-drawn");
  performance.measure("network-render", "network-fetched", "network-drawn");
  container.dataset.ready = "true";
}

document.addEventListener("DOMContentLoaded", () => {
  const container = document.getElementById("network-chart");
  if (!container) return;
  draw(container).catch((error) => {
    container.dataset.ready = "error";
    container.textContent = `The chart could not be drawn: ${error.message}. The table below lists every tie.`;
  });
});
