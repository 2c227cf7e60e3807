/* The matrix, timeline and framework overview: sorting, filters and the details panel. The
   pages are drawn on the server; this script only moves, hides and describes what is there.
   Every text it writes goes in with textContent (labels and quotes stay text). */
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("picture-data").textContent);
  var byId = function (id) { return document.getElementById(id); };
  var ROLES = ["member", "coordinator", "participant", "third_state_participant", "observer", "partner", "invited"];
  var state = { kind: data.kind, ready: false, readyAt: null };
  window.dkgPicture = state;

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    if (cls) { node.className = cls; }
    return node;
  }

  /* A source as a list item: its title, a link only for an http(s) address, its quote. */
  function sourceItem(source) {
    var item = el("li");
    var known = (data.sources || {})[source.id];
    if (known) { source = Object.assign({}, known, source); }
    var url = String(source.url || "");
    if (/^https?:\/\//i.test(url)) {
      var link = el("a", source.title || source.id);
      link.href = url;
      link.rel = "noreferrer";
      item.appendChild(link);
    } else {
      item.appendChild(el("span", source.title || source.id));
    }
    var kind = source.basis === "document" ? "document" : "curated source";
    if (source.confidence !== undefined && source.confidence !== null) { kind += ", confidence " + source.confidence; }
    item.appendChild(el("span", " (" + source.id + ", " + kind + ")", "hint"));
    if (source.quote) { item.appendChild(el("blockquote", "“" + source.quote + "”")); }
    return item;
  }

  function dates(row) {
    var text = row.from ? "from " + row.from : "no start date";
    return row.to ? text + " to " + row.to : text;
  }

  function describe(heading, rows) {
    var box = byId("details");
    box.textContent = "";
    box.appendChild(el("h2", heading));
    rows.forEach(function (row) {
      var basis = row.basis === "document" ? "only from documents" : "curated reference data";
      box.appendChild(el("p", String(row.role).replace(/_/g, " ") + ", " + dates(row) + " — " + basis));
      var list = el("ul");
      (row.sources || []).forEach(function (s) { list.appendChild(sourceItem(s)); });
      box.appendChild(list);
    });
  }

  function roleRank(role) {
    var i = ROLES.indexOf(role);
    return i < 0 ? ROLES.length : i;
  }

  /* ---- matrix ---- */
  function matrix() {
    var table = byId("matrix");
    var head = table.tHead.rows[0];
    var body = table.tBodies[0];
    var heads = Array.prototype.slice.call(head.querySelectorAll("th.col"));
    heads.forEach(function (th, i) { th.dataset.order = String(i); });
    var sortColumn = null;

    /* Cells of a row, in the current column order (the first child is the state's name). */
    function rowCells(tr) { return Array.prototype.slice.call(tr.children, 1); }

    state.sortColumns = function (key) {
      var current = Array.prototype.slice.call(head.querySelectorAll("th.col"));
      var order = current.map(function (th, i) { return { th: th, i: i }; });
      order.sort(function (a, b) {
        if (key === "label") { return a.th.dataset.label.localeCompare(b.th.dataset.label); }
        if (key === "count") { return Number(b.th.dataset.count) - Number(a.th.dataset.count) || a.th.dataset.label.localeCompare(b.th.dataset.label); }
        return Number(a.th.dataset.order) - Number(b.th.dataset.order);
      });
      detached(function () {
        order.forEach(function (o) { head.appendChild(o.th); });
        Array.prototype.forEach.call(body.rows, function (tr) {
          var cells = rowCells(tr);
          order.forEach(function (o) { tr.appendChild(cells[o.i]); });
        });
      });
    };

    /* Moves made while the body is out of the document: one layout afterwards, not one per move. */
    function detached(work) {
      var next = body.nextSibling;
      table.removeChild(body);
      try { work(); } finally { table.insertBefore(body, next); }
    }

    function cellOf(tr, column) {
      return tr.querySelector("td[data-col=\"" + column.replace(/["\\]/g, "\\$&") + "\"]");
    }

    state.sortRows = function (key, column) {
      var rows = Array.prototype.slice.call(body.rows);
      var ranks = new Map();  /* once per row, not once per comparison */
      rows.forEach(function (tr) {
        var cell = key === "column" && column ? cellOf(tr, column) : null;
        ranks.set(tr, cell ? roleRank(cell.dataset.role) : ROLES.length + 1);
      });
      var rank = function (tr) { return ranks.get(tr); };
      rows.sort(function (a, b) {
        if (key === "column" && column) {
          return rank(a) - rank(b) || a.dataset.label.localeCompare(b.dataset.label);
        }
        if (key === "count") { return Number(b.dataset.count) - Number(a.dataset.count) || a.dataset.label.localeCompare(b.dataset.label); }
        if (key === "iso2") { return a.dataset.iso2.localeCompare(b.dataset.iso2); }
        return a.dataset.label.localeCompare(b.dataset.label);
      });
      detached(function () { rows.forEach(function (tr) { body.appendChild(tr); }); });
      heads.forEach(function (th) { th.classList.toggle("sorted", key === "column" && th.dataset.col === column); });
    };

    function checked(name) {
      var out = new Set();
      document.querySelectorAll("input[name=" + name + "]").forEach(function (box) { if (box.checked) { out.add(box.value); } });
      return out;
    }

    state.refilter = function () {
      var families = checked("family"), stateFamilies = checked("state-family");
      var current = Array.prototype.slice.call(head.querySelectorAll("th.col"));
      var hidden = current.map(function (th) { return !families.has(th.dataset.family); });
      current.forEach(function (th, i) { th.classList.toggle("hidden", hidden[i]); });
      var shownRows = 0;
      detached(function () {
        Array.prototype.forEach.call(body.rows, function (tr) {
          var hideRow = !stateFamilies.has(tr.dataset.family);
          tr.classList.toggle("hidden", hideRow);
          if (!hideRow) { shownRows += 1; }
          rowCells(tr).forEach(function (td, i) { td.classList.toggle("hidden", hidden[i]); });
        });
      });
      byId("shown-states").textContent = String(shownRows);
      byId("shown-columns").textContent = String(hidden.filter(function (h) { return !h; }).length);
    };

    byId("sort-rows").addEventListener("change", function (event) { state.sortRows(event.target.value, sortColumn); });
    byId("sort-columns").addEventListener("change", function (event) { state.sortColumns(event.target.value); state.refilter(); });
    document.querySelectorAll("input[name=family], input[name=state-family]").forEach(function (box) {
      box.addEventListener("change", state.refilter);
    });
    head.addEventListener("click", function (event) {
      var th = event.target.closest("th.col");
      if (!th) { return; }
      sortColumn = th.dataset.col;
      byId("sort-rows").value = "column";
      state.sortRows("column", sortColumn);
    });
    body.addEventListener("click", function (event) {
      var td = event.target.closest("td.cell");
      if (!td) { return; }
      document.querySelectorAll("td.cell.selected").forEach(function (x) { x.classList.remove("selected"); });
      td.classList.add("selected");
      var info = data.cells[td.parentNode.dataset.state + "|" + td.dataset.col];
      if (info) { describe(info.state + " · " + info.column + " on " + data.at, info.rows); }
    });
  }

  /* ---- timeline ---- */
  function timeline() {
    var bars = Array.prototype.slice.call(document.querySelectorAll("#timeline g.bar"));
    state.sortBars = function (key) {
      var sorted = bars.slice().sort(function (a, b) {
        var A = a.dataset, B = b.dataset;
        if (key === "label") { return A.label.localeCompare(B.label) || A.from.localeCompare(B.from); }
        if (key === "end") { return (A.to || "9999").localeCompare(B.to || "9999") || A.from.localeCompare(B.from); }
        return A.from.localeCompare(B.from) || A.label.localeCompare(B.label);
      });
      sorted.forEach(function (g, i) { g.setAttribute("transform", "translate(0 " + (data.top + i * data.row) + ")"); });
    };
    byId("sort-bars").addEventListener("change", function (event) { state.sortBars(event.target.value); });
    document.querySelector("#timeline g.bars").addEventListener("click", function (event) {
      var g = event.target.closest("g.bar");
      if (!g) { return; }
      bars.forEach(function (x) { x.classList.remove("selected"); });
      g.classList.add("selected");
      var info = data.bars[g.dataset.index];
      if (info) { describe(info.label, [info]); }
    });
  }

  if (data.kind === "matrix") { matrix(); }
  if (data.kind === "timeline") { timeline(); }
  window.requestAnimationFrame(function () {
    state.ready = true;
    state.readyAt = performance.now();
    document.body.setAttribute("data-ready", "true");
  });
})();
