/* The graph views: reads the JSON data block, draws it with vis-network and wires the filters
   and the search box. Labels and tooltips are text only (DOM nodes, never HTML strings). */
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("graph-data").textContent);
  var byId = function (id) { return document.getElementById(id); };

  /* A tooltip as a DOM element: vis-network renders a string title as HTML, an element as is. */
  function tooltip(lines) {
    var box = document.createElement("div");
    (lines || []).forEach(function (line) {
      var p = document.createElement("p");
      p.textContent = line;
      box.appendChild(p);
    });
    return box;
  }

  /* Styles travel once per kind (index `s`), tooltips as lines of text. */
  function styled(table) {
    return function (item) {
      var style = table[item.s] || {};
      Object.keys(style).forEach(function (key) { item[key] = style[key]; });
      item.title = tooltip(item.details);
      return item;
    };
  }
  var nodes = new vis.DataSet(data.nodes.map(styled(data.nodeStyles)));
  var edges = new vis.DataSet(data.edges.map(styled(data.edgeStyles)));

  function checked(name) {
    var out = new Set();
    document.querySelectorAll("input[name=" + name + "]").forEach(function (box) {
      if (box.checked) { out.add(box.value); }
    });
    return out;
  }

  /* Which nodes and edges pass the filters: a node by family and capability domain; an edge by
     role when both ends pass; a node left with no shown link is hidden (the focus never is). */
  var shownNodes = new Set(), shownEdges = new Set();
  function recompute() {
    var families = checked("family"), roles = checked("role");
    var domainBox = byId("domain"), domain = domainBox ? domainBox.value : "";
    var pass = new Set();
    nodes.forEach(function (n) {
      var familyOk = n.type === "Document" || families.has(n.family);
      var domainOk = !domain || n.type === "State" || (n.domains || []).indexOf(domain) >= 0;
      if (familyOk && domainOk) { pass.add(n.id); }
    });
    shownEdges = new Set();
    var linked = new Set();
    edges.forEach(function (e) {
      if (pass.has(e.from) && pass.has(e.to) && (roles.size === 0 && !byId("filter-role") || roles.has(e.role))) {
        shownEdges.add(e.id);
        linked.add(e.from);
        linked.add(e.to);
      }
    });
    var filtered = domain || families.size < document.querySelectorAll("input[name=family]").length ||
      (byId("filter-role") && roles.size < document.querySelectorAll("input[name=role]").length);
    shownNodes = new Set();
    pass.forEach(function (id) {
      if (!filtered || linked.has(id) || id === data.focus) { shownNodes.add(id); }
    });
    byId("shown-nodes").textContent = String(shownNodes.size);
    byId("shown-edges").textContent = String(shownEdges.size);
  }
  recompute();

  var nodeView = new vis.DataView(nodes, { filter: function (n) { return shownNodes.has(n.id); } });
  var edgeView = new vis.DataView(edges, { filter: function (e) { return shownEdges.has(e.id); } });
  var network = new vis.Network(byId("network"), { nodes: nodeView, edges: edgeView }, data.options);

  var state = { nodes: nodes, edges: edges, nodeView: nodeView, edgeView: edgeView, network: network,
                drawn: false, stabilized: !data.options.physics.enabled, drawnAt: null, clusters: 0 };
  window.dkgView = state;

  /* Physics settles (a short stabilisation, then on screen), then stops: at vis-network's
     "stabilized" event, or after eight seconds at the latest. */
  function settled() {
    if (state.stabilized) { return; }
    network.setOptions({ physics: { enabled: false } });
    state.stabilized = true;
    document.body.setAttribute("data-stabilized", "true");
  }
  if (!state.stabilized) {
    network.once("stabilized", settled);
    window.setTimeout(settled, 8000);
  }
  network.once("afterDrawing", function () {
    state.drawn = true;
    state.drawnAt = performance.now();
    document.body.setAttribute("data-drawn", "true");
  });

  /* Large graphs: projects (and companies) grouped by family into one node each. */
  function cluster() {
    if (!data.large) { return; }
    var families = new Set();
    nodes.forEach(function (n) { if (n.type === "Project" || n.type === "Company") { families.add(n.family); } });
    state.clusters = 0;
    /* Each group sits on the outer ring (where its projects were), one angle per family. */
    var radius = 0;
    nodes.forEach(function (n) { radius = Math.max(radius, Math.abs(n.x || 0), Math.abs(n.y || 0)); });
    var angle = 0, step = 2 * Math.PI / Math.max(families.size, 1);
    families.forEach(function (family) {
      angle += step;
      var inside = nodeView.get({ filter: function (n) {
        return n.family === family && (n.type === "Project" || n.type === "Company");
      } }).length;
      if (inside < 2) { return; }
      network.cluster({
        joinCondition: function (n) { return n.family === family && (n.type === "Project" || n.type === "Company"); },
        clusterNodeProperties: {
          id: "cluster:" + family, label: family + " projects (" + inside + ")", shape: "triangle", size: 30,
          x: 0.8 * radius * Math.cos(angle), y: 0.8 * radius * Math.sin(angle),
          color: data.colours[family] || data.colours.other, font: { size: 22 },
          title: tooltip([family + " projects", inside + " nodes: double-click to open"])
        }
      });
      state.clusters += 1;
    });
    network.fit();
  }
  cluster();
  network.on("doubleClick", function (params) {
    if (params.nodes.length === 1 && network.isCluster(params.nodes[0])) { network.openCluster(params.nodes[0]); }
  });
  if (byId("recluster")) { byId("recluster").addEventListener("click", cluster); }

  function refilter() {
    recompute();
    nodeView.refresh();
    edgeView.refresh();
  }
  document.querySelectorAll("input[name=family], input[name=role]").forEach(function (box) {
    box.addEventListener("change", refilter);
  });
  if (byId("domain")) { byId("domain").addEventListener("change", refilter); }

  /* The search box: the first shown node whose label or id contains the text. */
  byId("search").addEventListener("submit", function (event) {
    event.preventDefault();
    var text = byId("search-box").value.trim().toLowerCase(), result = byId("search-result");
    if (!text) { result.textContent = ""; return; }
    var hits = nodes.get({ filter: function (n) {
      return String(n.label).toLowerCase().indexOf(text) >= 0 || String(n.id).toLowerCase() === text;
    } });
    hits.sort(function (a, b) {
      return (String(b.label).toLowerCase() === text) - (String(a.label).toLowerCase() === text);
    });
    if (!hits.length) { result.textContent = "Not in this view."; return; }
    var hit = hits[0];
    if (!shownNodes.has(hit.id)) { result.textContent = hit.label + " is hidden by the filters."; return; }
    var clusterOf = network.findNode(hit.id);
    clusterOf.slice(0, -1).forEach(function (id) { if (network.isCluster(id)) { network.openCluster(id); } });
    network.selectNodes([hit.id]);
    network.focus(hit.id, { scale: 1.2, animation: { duration: 400 } });
    result.textContent = hits.length > 1 ? hit.label + " (1 of " + hits.length + ")" : hit.label;
  });
})();
