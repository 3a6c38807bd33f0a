// The NDN map: routes as lines by mode, places as points, Afghanistan's entry points, over
// Natural Earth's 1:110m country outlines (bundled: no tiles, no request for them). Reads ONE
// dataset, the routes' GeoJSON from the canvas's data-routes-url; each leg and place is an
// SVG link named for screen readers, in the routes' leg order for the Tab key. Also draws the
// small locator map of a place page from its data-latitude/-longitude (no request at all).
import { geoCentroid, geoCircle, geoConicEqualArea, geoOrthographic, geoPath, geoAzimuthalEqualArea } from "d3-geo";
import { feature, mesh } from "topojson-client";
import world from "world-atlas/countries-110m.json";

const SVG = "http://www.w3.org/2000/svg";
const AFGHANISTAN = "004"; // ISO 3166-1 numeric, as world-atlas identifies countries
const MODES = new Set(["rail", "road", "sea", "air"]);
// West of this the places are across the Atlantic (the air lines' US bases): drawn in the inset.
const ATLANTIC = -30;

// Converted once, while the page waits for the routes.
const countries = feature(world, world.objects.countries);
const borders = mesh(world, world.objects.countries, (a, b) => a !== b);

function svgElement(name, attributes = {}, parent = null) {
  const element = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, value);
  if (parent) parent.append(element);
  return element;
}

function drawOutline(group, path) {
  const land = svgElement("g", { class: "route-map__countries" }, group);
  for (const country of countries.features) {
    const d = path(country);
    if (!d) continue;
    const afghan = country.id === AFGHANISTAN;
    svgElement("path", { d, class: afghan ? "route-map__country route-map__afghanistan" : "route-map__country" }, land);
  }
  svgElement("path", { d: path(borders) || "", class: "route-map__borders" }, group);
}

function legName(props) {
  const from = props.from ? props.from.name : "a place not shown";
  const to = props.to ? props.to.name : "a place not shown";
  const mode = props.mode ? `by ${props.mode}` : "mode not stated";
  const through = props.countries.length ? `, through ${props.countries.map((c) => c.name).join(", ")}` : "";
  const entry = props.enters_afghanistan ? ", entering Afghanistan" : "";
  return `${props.route_name}, leg ${props.order}: ${from} to ${to}, ${mode}${through}${entry}`;
}

function placeName(props) {
  return props.entry_point ? `${props.name}, entry point into Afghanistan` : props.name;
}

function legClass(props, extra = "") {
  const mode = MODES.has(props.mode) ? props.mode : "unstated";
  return `route-map__line route-map__line--${mode}${extra}`;
}

// A marker for a place: a diamond for an entry point into Afghanistan, else a dot.
function placeMarker(parent, [x, y], props, focused) {
  const size = focused ? 8 : props.entry_point ? 6.5 : 4;
  if (props.entry_point) {
    return svgElement(
      "path",
      { d: `M${x} ${y - size}L${x + size} ${y}L${x} ${y + size}L${x - size} ${y}Z`, class: "route-map__entry" + (focused ? " is-focus" : "") },
      parent,
    );
  }
  const classes = "route-map__place" + (focused ? " is-focus" : "") + (props.approximate ? " is-approximate" : "");
  return svgElement("circle", { cx: x, cy: y, r: props.approximate && !focused ? size + 1.5 : size, class: classes }, parent);
}

// The region to fit: the routes' places east of the Atlantic (or, on a route's page, that
// route's places), each widened by five degrees so one short leg is not drawn at city scale.
function fitRegion(places) {
  const eastern = places.filter(([lon]) => lon > ATLANTIC);
  const points = eastern.length ? eastern : places;
  return {
    type: "FeatureCollection",
    features: points.map((point) => ({ type: "Feature", geometry: geoCircle().center(point).radius(5)(), properties: {} })),
  };
}

function within([x, y], width, height) {
  return x >= 0 && x <= width && y >= 0 && y <= height;
}

// The map is drawn at the size it is shown, one unit a CSS pixel, so names and lines read the
// same on a phone as on a desk; taller than wide on a phone, where width is short.
function frameSize(container) {
  const width = Math.max(280, Math.round(container.clientWidth || 700));
  return [width, Math.round(width < 600 ? width * 0.85 : Math.min(width * 0.62, 620))];
}

// Names beside the points that have room, most important first: the focused place, the
// entry points, then the others; a name that would cover one already written is left to hover.
function writeLabels(group, candidates, width, taken = []) {
  candidates.sort((a, b) => b.rank - a.rank);
  for (const { point, text, className } of candidates) {
    const w = text.length * (className.includes("--small") ? 7 : 8.6) + 4; // a little over the sans' mean advance
    const h = 16;
    let x = point[0] + 7;
    if (x + w > width) x = point[0] - 7 - w;
    const box = [x, point[1] - h - 2, x + w, point[1] - 2];
    if (taken.some((t) => box[0] < t[2] && box[2] > t[0] && box[1] < t[3] && box[3] > t[1])) continue;
    taken.push(box);
    const node = svgElement("text", { x, y: point[1] - 5, class: className }, group);
    node.textContent = text;
  }
}

// Tooltip for hover and keyboard focus, positioned over the element (element.style is allowed
// by the Content-Security-Policy; style="" in the HTML would not be).
function tooltips(container) {
  const tip = document.createElement("p");
  tip.className = "route-map__tip";
  tip.hidden = true;
  tip.setAttribute("aria-hidden", "true"); // the links' own names are what screen readers read
  container.after(tip);
  const show = (event) => {
    const link = event.target.closest("a");
    if (!link) return;
    tip.textContent = link.getAttribute("aria-label");
    tip.hidden = false;
    const box = link.getBoundingClientRect();
    const frame = container.parentElement.getBoundingClientRect();
    const left = Math.min(Math.max(0, box.left + box.width / 2 - frame.left - tip.offsetWidth / 2), frame.width - tip.offsetWidth);
    tip.style.left = `${Math.max(0, left)}px`;
    tip.style.top = `${Math.max(0, box.top - frame.top - tip.offsetHeight - 6)}px`;
    link.classList.add("is-active");
  };
  const hide = (event) => {
    const link = event.target.closest("a");
    if (link) link.classList.remove("is-active");
    tip.hidden = true;
  };
  container.addEventListener("mouseover", show);
  container.addEventListener("focusin", show);
  container.addEventListener("mouseout", hide);
  container.addEventListener("focusout", hide);
}

function link(parent, url, name, className) {
  const anchor = svgElement("a", { href: url, "aria-label": name, class: className }, parent);
  return anchor;
}

// The places beyond the main map (the air lines' bases in the United States) on a globe in
// the lower left corner, turned to the middle of all the places so every line shows whole.
function insetBox(width, height, narrow) {
  const size = narrow ? Math.min(200, width - 8) : Math.round(Math.min(220, Math.max(150, Math.min(width, height) * 0.36)));
  // On a phone the globe goes under the map, which is too small to give up a corner.
  return narrow ? [4, height + 4, size] : [4, height - size - 8, size];
}

function drawInset(svg, legs, places, [left, top, size]) {
  const all = places.map((place) => place.geometry.coordinates);
  const projection = geoOrthographic()
    .rotate(geoCentroid({ type: "MultiPoint", coordinates: all }).map((degrees) => -degrees))
    .fitExtent([[left + 6, top + 22], [left + size - 6, top + size - 2]], { type: "Sphere" });
  const path = geoPath(projection);
  const inset = svgElement("g", { class: "route-map__inset", "aria-hidden": "true" }, svg);
  svgElement("rect", { x: left, y: top, width: size, height: size + 4, rx: 6, class: "route-map__inset-frame" }, inset);
  const title = svgElement("text", { x: left + 8, y: top + 16, class: "route-map__label route-map__label--small" }, inset);
  title.textContent = "Whole air lines, on the globe";
  svgElement("path", { d: path({ type: "Sphere" }), class: "route-map__sphere" }, inset);
  drawOutline(inset, path);
  for (const leg of legs) svgElement("path", { d: path(leg.geometry), class: legClass(leg.properties) }, inset);
  const names = [];
  for (const place of places) {
    const point = projection(place.geometry.coordinates);
    if (point && place.geometry.coordinates[0] <= ATLANTIC) {
      placeMarker(inset, point, place.properties, false);
      names.push({ point, text: place.properties.name.replace(/ Air Force Base$/, " AFB"), className: "route-map__label route-map__label--small", rank: 1 });
    }
  }
  writeLabels(inset, names, left + size, [[left, top, left + 200, top + 20]]);
}

function drawRoutes(container, data) {
  const [WIDTH, HEIGHT] = frameSize(container);
  const focusRoute = container.dataset.focusRoute || "";
  const focusPlace = container.dataset.focusPlace || "";
  const drawable = data.features.filter((f) => f.geometry);
  const legs = drawable
    .filter((f) => f.properties.feature_type === "leg")
    .sort((a, b) => {
      const pa = a.properties;
      const pb = b.properties;
      // The focused route's legs first, then each route's in order: the Tab order.
      const focus = Number(pb.route === focusRoute) - Number(pa.route === focusRoute);
      return focus || pa.route_name.localeCompare(pb.route_name) || pa.route.localeCompare(pb.route) || pa.order - pb.order;
    });
  const places = drawable.filter((f) => f.properties.feature_type === "place");
  const onFocusRoute = new Set();
  for (const leg of legs) {
    if (leg.properties.route !== focusRoute) continue;
    for (const end of [leg.properties.from, leg.properties.to]) if (end) onFocusRoute.add(end.slug);
  }
  const fitted = focusRoute ? places.filter((p) => onFocusRoute.has(p.properties.slug)) : places;

  const projection = geoConicEqualArea()
    .parallels([35, 55])
    .rotate([-55, 0])
    .fitExtent([[16, 16], [WIDTH - 16, HEIGHT - 16]], fitRegion(fitted.map((p) => p.geometry.coordinates)))
    .clipExtent([[0, 0], [WIDTH, HEIGHT]]);
  const path = geoPath(projection);

  // The globe is for the air lines' far ends: on a route's page, only when that route has one.
  const outside = fitted.some((place) => !within(projection(place.geometry.coordinates) || [-1, -1], WIDTH, HEIGHT));
  const narrow = WIDTH < 600;
  const inset = outside ? insetBox(WIDTH, HEIGHT, narrow) : null;
  const svg = svgElement("svg", {
    viewBox: `0 0 ${WIDTH} ${inset && narrow ? HEIGHT + inset[2] + 10 : HEIGHT}`,
    class: "route-map__svg",
    role: "group",
    "aria-label": `Map of ${new Set(legs.map((l) => l.properties.route)).size} routes in ${legs.length} legs`,
  });
  svgElement("rect", { x: 0, y: 0, width: WIDTH, height: HEIGHT, class: "route-map__sea" }, svg);
  drawOutline(svgElement("g", { "aria-hidden": "true" }, svg), path);

  const context = svgElement("g", { class: "route-map__context", "aria-hidden": "true" }, svg);
  const lines = svgElement("g", { class: "route-map__legs" }, svg);
  for (const leg of legs) {
    const props = leg.properties;
    const d = path(leg.geometry) || "";
    if (focusRoute && props.route !== focusRoute) {
      svgElement("path", { d, class: legClass(props, " route-map__leg is-context"), "data-leg": props.slug }, context);
      continue;
    }
    const anchor = link(lines, props.url, legName(props), "route-map__link");
    svgElement("path", { d, class: "route-map__hit" }, anchor);
    svgElement("path", { d, class: legClass(props, " route-map__leg" + (props.route === focusRoute ? " is-focus" : "")), "data-leg": props.slug }, anchor);
  }

  const markers = svgElement("g", { class: "route-map__places" }, svg);
  const labels = svgElement("g", { class: "route-map__labels", "aria-hidden": "true" }, svg);
  const names = [];
  for (const place of places) {
    const props = place.properties;
    const point = projection(place.geometry.coordinates);
    if (!point || !within(point, WIDTH, HEIGHT)) continue;
    const focused = props.slug === focusPlace;
    if (focusRoute && !onFocusRoute.has(props.slug)) {
      placeMarker(context, point, props, false);
      continue;
    }
    const anchor = link(markers, props.url, placeName(props), "route-map__link");
    placeMarker(anchor, point, props, focused);
    names.push({
      point,
      text: props.name,
      className: focused ? "route-map__label is-focus" : props.entry_point ? "route-map__label" : "route-map__label route-map__label--small",
      rank: focused ? 3 : props.entry_point ? 2 : props.kind === "country" ? 0 : 1,
    });
  }
  // Names keep clear of the globe in the corner, drawn over them after.
  const [left, top, size] = inset || [];
  writeLabels(labels, names, WIDTH, inset && !narrow ? [[left, top, left + size, top + size + 4]] : []);
  if (inset) drawInset(svg, legs, places, inset);

  container.textContent = "";
  container.append(svg);
  return legs.length;
}

async function drawRouteMap(container) {
  performance.mark("map-start");
  const response = await fetch(container.dataset.routesUrl, { headers: { Accept: "application/geo+json" } });
  if (!response.ok) throw new Error(`the routes could not be read (${response.status})`);
  const data = await response.json();
  performance.mark("map-fetched");
  container.dataset.legs = String(drawRoutes(container, data));
  performance.mark("map-drawn");
  performance.measure("map", "map-start", "map-drawn");
  performance.measure("map-render", "map-fetched", "map-drawn");
  container.dataset.ready = "true";
  tooltips(container);
  // Drawn again (from the same data, no request) when the page's width changes much, as on
  // turning a phone; a focused link keeps its focus by its address.
  let drawnWidth = container.clientWidth;
  new ResizeObserver(() => {
    if (Math.abs(container.clientWidth - drawnWidth) < 40) return;
    drawnWidth = container.clientWidth;
    const focused = container.contains(document.activeElement) ? document.activeElement.getAttribute("aria-label") : null;
    drawRoutes(container, data);
    if (focused) [...container.querySelectorAll("a")].find((a) => a.getAttribute("aria-label") === focused)?.focus();
  }).observe(container);
}

function drawLocator(container) {
  const place = [Number(container.dataset.longitude), Number(container.dataset.latitude)];
  const width = 320;
  const height = 200;
  const projection = geoAzimuthalEqualArea()
    .rotate([-place[0], -place[1]])
    .fitExtent([[4, 4], [width - 4, height - 4]], geoCircle().center(place).radius(16)())
    .clipExtent([[0, 0], [width, height]]);
  const svg = svgElement("svg", {
    viewBox: `0 0 ${width} ${height}`,
    class: "locator-map__svg",
    role: "img",
    "aria-label": `Locator map: ${container.dataset.name} at latitude ${place[1]}, longitude ${place[0]}`,
  });
  svgElement("rect", { x: 0, y: 0, width, height, class: "route-map__sea" }, svg);
  drawOutline(svg, geoPath(projection));
  const [x, y] = projection(place);
  svgElement("circle", { cx: x, cy: y, r: 11, class: "locator-map__ring" }, svg);
  svgElement("circle", { cx: x, cy: y, r: 4.5, class: "route-map__place is-focus" }, svg);
  container.append(svg);
  container.dataset.ready = "true";
}

document.addEventListener("DOMContentLoaded", () => {
  for (const container of document.querySelectorAll(".locator-map__canvas")) drawLocator(container);
  for (const container of document.querySelectorAll(".route-map__canvas[data-routes-url]")) {
    drawRouteMap(container).catch((error) => {
      container.dataset.ready = "error";
      container.textContent = `The map could not be drawn: ${error.message}. The list of legs gives every route.`;
    });
  }
});
