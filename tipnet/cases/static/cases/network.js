/* Draws the network of a case with Cytoscape.js (vendored; see tipnet/cases/js/package.json).
   The graph comes from the page itself (json_script), already filtered by the node's access rules,
   with positions from a seeded layout on the server: the same picture on every load. Names show
   on hover or when zoomed in, so that they do not cover one another at the default zoom.
   "Expand" asks the server for one hop more around the selected node. */
(function () {
  "use strict";
  var LABEL_ZOOM = 1.4;

  function element(n) {
    return { group: "nodes", position: { x: n.x || 0, y: n.y || 0 },
      data: { id: n.id, label: n.label, kind: n.kind, shared: !!n.shared, root: !!n.is_root,
        roles: n.roles || [], type: n.type || "" } };
  }

  function edge(e) {
    return { group: "edges", data: { id: e.source + ">" + e.target, source: e.source,
      target: e.target, label: e.label } };
  }

  var STYLE = [
    { selector: "node", style: { "font-size": 10, "text-valign": "bottom", "text-margin-y": 4,
      "text-wrap": "ellipsis", "text-max-width": 120, width: 22, height: 22 } },
    { selector: "node.labelled, node:selected, node.hover, node[?root]",
      style: { label: "data(label)", "text-background-color": "#fff",
        "text-background-opacity": 0.85, "text-background-padding": 2 } },
    { selector: "node[kind = 'case']", style: { shape: "round-rectangle", "background-color": "#2f6fb3" } },
    { selector: "node[?root]", style: { "border-width": 4, "border-color": "#111" } },
    { selector: "node[kind = 'person']", style: { shape: "ellipse", "background-color": "#d9822b" } },
    { selector: "node[kind = 'identifier']", style: { shape: "diamond", "background-color": "#888" } },
    { selector: "node[?shared]", style: { "background-color": "#c0392b", width: 28, height: 28 } },
    { selector: "node[kind = 'external']", style: { shape: "hexagon", "background-color": "#fff",
      "border-width": 3, "border-style": "dashed", "border-color": "#6a1b9a" } },
    { selector: "node.filtered, edge.filtered", style: { display: "none" } },
    { selector: "edge", style: { width: 1.5, "line-color": "#aaa", "curve-style": "bezier" } },
    { selector: "edge[target ^= 'x']", style: { "line-style": "dashed", "line-color": "#6a1b9a" } },
    { selector: "edge.labelled, edge.hover", style: { label: "data(label)", "font-size": 8 } }
  ];

  function checked(form, name) {
    return Array.prototype.filter.call(form.querySelectorAll("input[name='" + name + "']"),
      function (box) { return box.checked; }).map(function (box) { return box.value; });
  }

  function applyFilters(cy, form) {
    var roles = checked(form, "role"), kinds = checked(form, "kind");
    cy.elements().removeClass("filtered");
    cy.nodes().forEach(function (n) {
      var d = n.data();
      var hide = (d.kind === "person" && roles.length &&
          !d.roles.some(function (r) { return roles.indexOf(r) >= 0; })) ||
        (d.kind === "identifier" && kinds.length && kinds.indexOf(d.type) < 0);
      if (hide) { n.addClass("filtered"); }
    });
    // What hangs only from a hidden person goes with it; cases stay.
    cy.nodes("[kind = 'identifier'], [kind = 'external']").forEach(function (n) {
      if (!n.hasClass("filtered") && n.neighborhood("node").not(".filtered").length === 0) {
        n.addClass("filtered");
      }
    });
    cy.nodes(".filtered").connectedEdges().addClass("filtered");
  }

  function showLabels(cy) {
    var on = cy.zoom() >= LABEL_ZOOM;
    cy.batch(function () { cy.elements().toggleClass("labelled", on); });
  }

  function placeAround(cy, centre, added) {
    var at = centre.position(), step = (2 * Math.PI) / Math.max(added.length, 1);
    added.forEach(function (n, i) {
      n.position({ x: at.x + 110 * Math.cos(i * step), y: at.y + 110 * Math.sin(i * step) });
    });
  }

  function expand(cy, box, form, status) {
    var node = cy.nodes(":selected")[0];
    if (!node) { return; }
    var query = new URLSearchParams(new FormData(form));
    query.set("node", node.id());
    fetch(box.dataset.expandUrl + "?" + query.toString(), { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      })
      .then(function (graph) {
        var fresh = graph.nodes.filter(function (n) { return cy.getElementById(n.id).empty(); });
        var added = cy.add(fresh.map(element));
        cy.add(graph.edges.filter(function (e) {
          return cy.getElementById(e.source + ">" + e.target).empty();
        }).map(edge));
        placeAround(cy, node, added);
        applyFilters(cy, form);
        showLabels(cy);
        status.textContent = added.length ? "" : box.dataset.expandNone;
      })
      .catch(function () { status.textContent = box.dataset.expandFailed; });
  }

  function download(box, cy) {
    var link = document.createElement("a");
    link.href = cy.png({ full: true, bg: "#ffffff", scale: 2 });
    link.download = box.dataset.pngName;
    document.body.appendChild(link);
    link.click();
    link.remove();
  }

  function draw() {
    var source = document.getElementById("network-data");
    var box = document.getElementById("network");
    if (!source || !box || !window.cytoscape) { return; }
    var graph = JSON.parse(source.textContent);
    var form = document.querySelector("[data-testid='network-filters']");
    var status = document.getElementById("network-status");
    var expandButton = document.getElementById("network-expand");
    var cy = window.cytoscape({
      container: box,
      elements: graph.nodes.map(element).concat(graph.edges.map(edge)),
      layout: { name: "preset", fit: true, padding: 30 },
      style: STYLE,
      selectionType: "single",
      wheelSensitivity: 0.3
    });
    cy.on("mouseover", "node, edge", function (evt) { evt.target.addClass("hover"); });
    cy.on("mouseout", "node, edge", function (evt) { evt.target.removeClass("hover"); });
    cy.on("zoom", function () { showLabels(cy); });
    cy.on("select unselect", function () { expandButton.disabled = cy.nodes(":selected").empty(); });
    cy.on("dbltap", "node[kind = 'case']", function (evt) {
      window.location.href = box.dataset.caseUrl.replace("0", evt.target.id().slice(1));
    });
    form.addEventListener("change", function () { applyFilters(cy, form); });
    expandButton.addEventListener("click", function () { expand(cy, box, form, status); });
    document.getElementById("network-png").addEventListener("click", function () { download(box, cy); });
    showLabels(cy);
    box.dataset.ready = "true";
  }
  document.addEventListener("DOMContentLoaded", draw);
})();
