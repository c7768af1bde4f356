/* dealgraph view: every string from the data goes into the page with textContent. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("dg-data").textContent);
  var $ = function (id) { return document.getElementById(id); };

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }
  function tip(text) { return el("div", text, "dg-tip"); }

  data.nodes.forEach(function (n) { if (typeof n.title === "string") n.title = tip(n.title); });
  data.edges.forEach(function (e) { if (typeof e.title === "string") e.title = tip(e.title); });

  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var network = new vis.Network($("dg-network"), { nodes: nodes, edges: edges }, data.options);
  window.dgNetwork = network;
  window.dgReady = false;

  function ready() {
    if (window.dgReady) return;
    window.dgReady = true;
    window.dgReadyMs = performance.now();
    document.body.setAttribute("data-ready", "true");
  }
  if (data.physics && data.nodes.length > 0) {
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({ physics: { enabled: false } });
      network.fit();
      ready();
    });
  } else {
    network.once("afterDrawing", ready);
    if (data.nodes.length === 0) ready();
  }

  /* ---- filters: type checkboxes and a date range ---- */
  var state = { hiddenTypes: {}, from: "", to: "", undated: true };

  function inRange(date) {
    if (!date) return state.undated;
    var d = String(date).slice(0, 10);
    return !(state.from && d < state.from) && !(state.to && d > state.to);
  }

  function applyFilters() {
    var shown = {}, nodeChanges = [], edgeChanges = [], nShown = 0, eShown = 0;
    nodes.forEach(function (n) {
      var t = n.dg.type || "";
      var show = !state.hiddenTypes[t] && (t !== "Deal" || inRange(n.dg.date));
      if (show) { shown[n.id] = true; nShown += 1; }
      if (Boolean(n.hidden) === show) nodeChanges.push({ id: n.id, hidden: !show });
    });
    edges.forEach(function (e) {
      var show = shown[e.from] === true && shown[e.to] === true && inRange(e.dg.date);
      if (show) eShown += 1;
      if (Boolean(e.hidden) === show) edgeChanges.push({ id: e.id, hidden: !show });
    });
    nodes.update(nodeChanges);
    edges.update(edgeChanges);
    var all = nShown === nodes.length && eShown === edges.length;
    $("dg-filter-status").textContent = all ? "" : "showing " + nShown + " of " + nodes.length +
      " nodes, " + eShown + " of " + edges.length + " edges";
  }

  var boxes = document.querySelectorAll("#dg-legend input[data-type]");
  Array.prototype.forEach.call(boxes, function (box) {
    box.addEventListener("change", function () {
      state.hiddenTypes[box.getAttribute("data-type")] = !box.checked;
      applyFilters();
    });
  });
  [["dg-from", "from"], ["dg-to", "to"]].forEach(function (pair) {
    $(pair[0]).addEventListener("change", function () {
      state[pair[1]] = $(pair[0]).value;
      applyFilters();
    });
  });
  $("dg-undated").addEventListener("change", function () {
    state.undated = $("dg-undated").checked;
    applyFilters();
  });

  /* ---- search ---- */
  var names = data.nodes.map(function (n) {
    var all = [n.dg.label, n.label].concat(n.dg.aliases || []);
    return { id: n.id, names: all.map(function (s) { return String(s).toLowerCase(); }) };
  });
  var list = $("dg-labels");
  data.nodes.slice(0, 5000).forEach(function (n) {
    var o = el("option");
    o.value = n.dg.label;
    list.appendChild(o);
  });

  function find(query) {
    var q = query.trim().toLowerCase();
    if (!q) return null;
    var tests = [
      function (s) { return s === q; },
      function (s) { return s.indexOf(q) === 0; },
      function (s) { return s.indexOf(q) >= 0; }
    ];
    for (var i = 0; i < tests.length; i += 1) {
      for (var j = 0; j < names.length; j += 1) {
        if (names[j].names.some(tests[i])) return names[j].id;
      }
    }
    return null;
  }

  function search() {
    var id = find($("dg-search").value), status = $("dg-search-status");
    if (id === null) { status.textContent = "no match"; return; }
    var node = nodes.get(id);
    if (node.hidden) { status.textContent = node.dg.label + " is hidden by a filter"; return; }
    status.textContent = "";
    network.selectNodes([id]);
    network.focus(id, { scale: 1.3, animation: { duration: 400, easingFunction: "easeInOutQuad" }});
    showNode(id);
  }
  $("dg-search").addEventListener("keydown", function (ev) { if (ev.key === "Enter") search(); });
  $("dg-search").addEventListener("change", search);

  /* ---- details panel ---- */
  var details = $("dg-details");

  function row(dl, name, value) {
    if (value === undefined || value === null || value === "" ||
        (Array.isArray(value) && value.length === 0)) return;
    dl.appendChild(el("dt", name));
    dl.appendChild(el("dd", Array.isArray(value) ? value.join(", ") : value));
  }

  function articleItem(iri) {
    var meta = data.articles[iri] || {};
    var li = el("li", meta.title || iri);
    var bits = [meta.publisher, meta.published].filter(Boolean).join(", ");
    if (bits) li.appendChild(el("cite", bits));
    if (meta.url) li.appendChild(el("cite", meta.url));
    return li;
  }

  function showNode(id) {
    var n = nodes.get(id);
    if (!n) return;
    var d = n.dg;
    details.replaceChildren(el("h3", d.label));
    var dl = el("dl");
    row(dl, "Type", d.type === "Deal" ? (d.deal_type || "Deal") : d.type);
    row(dl, "Status", d.status);
    row(dl, "Date", d.date);
    if (typeof d.value === "number") {
      row(dl, "Value", d.value.toLocaleString("en") + (d.currency ? " " + d.currency : ""));
    }
    row(dl, "Also", d.aliases);
    row(dl, "IRI", d.iri);
    details.appendChild(dl);
    var rel = network.getConnectedEdges(id);
    if (rel.length) {
      details.appendChild(el("h2", "Relations (" + rel.length + ")"));
      var ul = el("ul", null, "relations");
      rel.slice(0, 50).forEach(function (eid) {
        var e = edges.get(eid), out = e.from === id;
        var other = nodes.get(out ? e.to : e.from);
        var name = other ? other.dg.label : "";
        var text = out ? e.dg.label + " \u2192 " + name : name + " \u2192 " + e.dg.label;
        var b = el("button", text, "link");
        b.addEventListener("click", function () { network.selectEdges([eid]); showEdge(eid); });
        var li = el("li"); li.appendChild(b); ul.appendChild(li);
      });
      details.appendChild(ul);
    }
    if (d.articles.length) {
      details.appendChild(el("h2", "Articles (" + d.articles.length + ")"));
      var al = el("ul");
      d.articles.slice(0, 50).forEach(function (a) { al.appendChild(articleItem(a)); });
      details.appendChild(al);
    }
  }

  function showEdge(id) {
    var e = edges.get(id);
    if (!e) return;
    var d = e.dg, a = nodes.get(e.from), b = nodes.get(e.to);
    details.replaceChildren(el("h3", (a ? a.dg.label : e.from) + " \u2014 " + d.label +
      " \u2192 " + (b ? b.dg.label : e.to)));
    var dl = el("dl");
    row(dl, "Role", d.title);
    row(dl, "Date", d.date);
    if (d.confidence !== null) row(dl, "Confidence", d.confidence.toFixed(2));
    row(dl, "Sources", String(d.sources.length));
    details.appendChild(dl);
    d.sources.forEach(function (s) {
      if (s.evidence) details.appendChild(el("blockquote", s.evidence));
      var meta = data.articles[s.article] || {};
      var cite = [s.article_title || meta.title || s.article, s.published || meta.published,
                  s.confidence !== null ? "confidence " + s.confidence.toFixed(2) : null];
      details.appendChild(el("cite", cite.filter(Boolean).join(" \u00b7 ")));
    });
  }

  network.on("click", function (p) {
    if (p.nodes.length) showNode(p.nodes[0]);
    else if (p.edges.length) showEdge(p.edges[0]);
  });
}());
