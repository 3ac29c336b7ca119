/* Draws the network of a case with Cytoscape.js (vendored; see tipnet/cases/js/package.json).
   The graph comes from the page itself (json_script), already filtered by the node's access rules. */
(function () {
  "use strict";
  function draw() {
    var source = document.getElementById("network-data");
    var box = document.getElementById("network");
    if (!source || !box || !window.cytoscape) { return; }
    var graph = JSON.parse(source.textContent);
    var elements = graph.nodes.map(function (n) {
      var label = n.label + (n.roles && n.roles.length ? "\n(" + n.roles.join(", ") + ")" : "");
      return { data: { id: n.id, label: label, kind: n.kind, shared: !!n.shared, root: !!n.is_root } };
    }).concat(graph.edges.map(function (e, i) {
      return { data: { id: "e" + i, source: e.source, target: e.target, label: e.label } };
    }));
    var cy = window.cytoscape({
      container: box,
      elements: elements,
      layout: { name: "cose", animate: false, randomize: false, nodeRepulsion: 8000 },
      style: [
        { selector: "node", style: { label: "data(label)", "text-wrap": "wrap", "font-size": 10,
          "text-valign": "bottom", "text-margin-y": 4, width: 22, height: 22 } },
        { selector: "node[kind = 'case']", style: { shape: "round-rectangle", "background-color": "#2f6fb3" } },
        { selector: "node[?root]", style: { "border-width": 4, "border-color": "#111" } },
        { selector: "node[kind = 'person']", style: { shape: "ellipse", "background-color": "#d9822b" } },
        { selector: "node[kind = 'identifier']", style: { shape: "diamond", "background-color": "#888" } },
        { selector: "node[?shared]", style: { "background-color": "#c0392b", width: 28, height: 28 } },
        { selector: "edge", style: { width: 1.5, "line-color": "#aaa", label: "data(label)",
          "font-size": 8, "curve-style": "bezier" } }
      ]
    });
    cy.on("tap", "node[kind = 'case']", function (evt) {
      var id = evt.target.id().slice(1);
      window.location.href = box.dataset.caseUrl.replace("0", id);
    });
    box.dataset.ready = "true";
  }
  document.addEventListener("DOMContentLoaded", draw);
})();
