/* dealgraph view: every string from the data goes into the page with textContent or onto the
   canvas with fillText; none is ever parsed as HTML. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("dg-data").textContent);
  var $ = function (id) { return document.getElementById(id); };
  var FACE = "system-ui, -apple-system, 'Segoe UI', sans-serif";

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }
  function tip(text) { return el("div", text, "dg-tip"); }

  /* ---- the items: labels are drawn by this script (see drawLabels), not by vis-network ---- */
  var realNodes = data.nodes, groups = data.groups || [], realEdges = data.edges;
  var byId = {}, open = {}, focusIds = [];
  function prepare(item) {
    item.dg.text = item.label || "";
    delete item.label;
    if (typeof item.title === "string") item.title = tip(item.title);
    byId[item.id] = item;
  }
  realNodes.forEach(function (n) { prepare(n); if (n.dg.focus) focusIds.push(n.id); });
  groups.forEach(prepare);
  realEdges.concat(data.groupEdges || []).forEach(function (e) {
    e.dg.text = e.label || "";
    delete e.label;
    if (typeof e.title === "string") e.title = tip(e.title);
  });
  focusIds.forEach(function (id) { if (byId[id].dg.group) open[byId[id].dg.group] = true; });

  /* ---- filters: type checkboxes, a date range, open and closed groups ---- */
  var state = { hiddenTypes: {}, from: "", to: "", undated: true };
  var visible = {};

  function inRange(date) {
    if (!date) return state.undated;
    var d = String(date).slice(0, 10);
    return !(state.from && d < state.from) && !(state.to && d > state.to);
  }
  function passes(n) {
    var t = n.dg.type || "";
    return !state.hiddenTypes[t] && (t !== "Deal" || inRange(n.dg.date));
  }

  /* Decide what is drawn: one pass over the items, O(nodes + edges). */
  function decide() {
    var counts = { nodes: 0, edges: 0, passing: {} };
    var i, n, e, show;
    for (i = 0; i < realNodes.length; i += 1) {
      n = realNodes[i];
      show = passes(n);
      if (show) {
        counts.nodes += 1;
        if (n.dg.group) counts.passing[n.dg.group] = (counts.passing[n.dg.group] || 0) + 1;
      }
      visible[n.id] = show && (!n.dg.group || open[n.dg.group] === true);
    }
    for (i = 0; i < groups.length; i += 1) {
      visible[groups[i].id] = !open[groups[i].id] && (counts.passing[groups[i].id] || 0) > 0;
    }
    for (i = 0; i < realEdges.length; i += 1) {
      e = realEdges[i];
      show = passes(byId[e.from]) && passes(byId[e.to]) && inRange(e.dg.date);
      if (show && e.dg.deals) show = !e.dg.deals.some(function (d) { return passes(byId[d]); });
      if (show) counts.edges += 1;
      visible[e.id] = show && visible[e.from] === true && visible[e.to] === true;
    }
    (data.groupEdges || []).forEach(function (k) {
      visible[k.id] = visible[k.from] === true && visible[k.to] === true;
    });
    return counts;
  }

  var counts = decide();
  realNodes.concat(groups).forEach(function (n) { n.hidden = !visible[n.id]; });
  realEdges.concat(data.groupEdges || []).forEach(function (e) { e.hidden = !visible[e.id]; });

  var nodes = new vis.DataSet(realNodes.concat(groups));
  var edges = new vis.DataSet(realEdges.concat(data.groupEdges || []));
  var network = new vis.Network($("dg-network"), { nodes: nodes, edges: edges }, data.options);
  window.dgNetwork = network;
  window.dgReady = false;
  var drawable = [];
  Object.keys(network.body.nodes).forEach(function (id) { drawable.push(network.body.nodes[id]); });
  Object.keys(network.body.edges).forEach(function (id) { drawable.push(network.body.edges[id]); });

  /* Show the decision: flip vis-network's own flags and let it recompute its visible indices
     once, instead of a DataSet update per item (which re-processes every changed node). */
  function apply() {
    var start = performance.now();
    counts = decide();
    var changed = false, i, obj, hide;
    for (i = 0; i < drawable.length; i += 1) {
      obj = drawable[i];
      hide = !visible[obj.id];
      if (obj.options.hidden !== hide) { obj.options.hidden = hide; changed = true; }
    }
    if (changed) {
      /* what vis-network's "_dataUpdated" does, minus "startSimulation" (a full physics
         re-initialisation, ~200 ms at 5,000 nodes, for a layout that is already fixed) and
         the clustering bookkeeping (this page does not use vis-network's clusters) */
      network._updateVisibleIndices();
      network.body.emitter.emit("_requestRedraw");
    }
    var all = counts.nodes === realNodes.length &&
      counts.edges === realEdges.filter(function (e) { return !e.dg.deals; }).length;
    $("dg-filter-status").textContent = all ? "" : "showing " + counts.nodes + " of " +
      realNodes.length + " nodes, " + counts.edges + " edges";
    view.applyMs = performance.now() - start;
  }

  var view = {
    applyMs: 0,
    isVisible: function (id) { return visible[id] === true; },
    shownNodes: function () { return realNodes.filter(function (n) { return visible[n.id]; }).length; },
    shownEdges: function () { return realEdges.filter(function (e) { return visible[e.id]; }).length; },
    passing: function () { return { nodes: counts.nodes, edges: counts.edges }; },
    openGroups: function () { return Object.keys(open).filter(function (g) { return open[g]; }); },
    open: function (g) { open[g] = true; apply(); },
    close: function (g) { open[g] = false; apply(); },
    labels: function () { return drawn.slice(); }
  };
  window.dgView = view;

  function ready() {
    if (window.dgReady) return;
    window.dgReady = true;
    window.dgReadyMs = performance.now();
    if (focusIds.length) {
      network.selectNodes(focusIds.filter(function (id) { return visible[id]; }));
      showNode(focusIds[0]);
      if (!data.physics) moveTo(focusIds[0], 1.0);
    }
    document.body.setAttribute("data-ready", "true");
  }
  if (data.physics && realNodes.length > 0) {
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({ physics: { enabled: false } });
      network.fit();
      ready();
    });
  } else {
    network.once("afterDrawing", ready);
    if (realNodes.length === 0) ready();
  }

  var boxes = document.querySelectorAll("#dg-legend input[data-type]");
  Array.prototype.forEach.call(boxes, function (box) {
    box.addEventListener("change", function () {
      state.hiddenTypes[box.getAttribute("data-type")] = !box.checked;
      apply();
    });
  });
  [["dg-from", "from"], ["dg-to", "to"]].forEach(function (pair) {
    $(pair[0]).addEventListener("change", function () {
      state[pair[1]] = $(pair[0]).value;
      apply();
    });
  });
  $("dg-undated").addEventListener("change", function () {
    state.undated = $("dg-undated").checked;
    apply();
  });
  if ($("dg-open-all")) {
    $("dg-open-all").addEventListener("click", function () {
      groups.forEach(function (g) { open[g.id] = true; });
      apply();
    });
    $("dg-close-all").addEventListener("click", function () {
      open = {};
      apply();
    });
  }

  /* ---- labels: the most connected first, only where they fit, at every zoom ---- */
  var order = realNodes.concat(groups).slice().sort(function (a, b) {
    function rank(n) {
      if (n.dg.focus) return 0;
      if (n.dg.kind === "group") return 1;
      return n.dg.type === "Deal" ? 3 : 2;
    }
    var ra = rank(a), rb = rank(b);
    if (ra !== rb) return ra - rb;
    var da = a.dg.kind === "group" ? a.dg.size : a.dg.degree;
    var db = b.dg.kind === "group" ? b.dg.size : b.dg.degree;
    return db - da;
  });
  var widths = {}, drawn = [];

  function fontOf(n) {
    if (n.dg.focus) return { px: 15, bold: true, color: "#b4410b" };
    if (n.dg.kind === "group") return { px: 13, bold: true, color: "#1f2933" };
    var px = 11 + Math.min(3, Math.log2(1 + (n.dg.degree || 0)) / 2);
    return { px: Math.round(px), bold: false, color: n.dg.type === "Deal" ? "#9b2c2f" : "#1f2933" };
  }

  function drawLabels(ctx) {
    var scale = network.getScale();
    var canvas = network.canvas.frame.canvas;
    var w = canvas.clientWidth, h = canvas.clientHeight;
    var tl = network.DOMtoCanvas({ x: 0, y: 0 });
    var body = network.body, cell = 60, grid = new Map(), boxes = [], font = "";
    drawn = [];

    function fits(r, force) {
      var x0 = Math.floor(r[0] / cell), x1 = Math.floor(r[2] / cell);
      var y0 = Math.floor(r[1] / cell), y1 = Math.floor(r[3] / cell), gx, gy, k, list, b;
      if (!force) {
        for (gx = x0; gx <= x1; gx += 1) {
          for (gy = y0; gy <= y1; gy += 1) {
            list = grid.get(gx * 65536 + gy);
            if (!list) continue;
            for (k = 0; k < list.length; k += 1) {
              b = boxes[list[k]];
              if (r[0] < b[2] && b[0] < r[2] && r[1] < b[3] && b[1] < r[3]) return false;
            }
          }
        }
      }
      boxes.push(r);
      for (gx = x0; gx <= x1; gx += 1) {
        for (gy = y0; gy <= y1; gy += 1) {
          list = grid.get(gx * 65536 + gy);
          if (list) list.push(boxes.length - 1); else grid.set(gx * 65536 + gy, [boxes.length - 1]);
        }
      }
      return true;
    }

    function text(label, x, y, f) {
      var want = (f.bold ? "600 " : "") + (f.px / scale) + "px " + FACE;
      if (want !== font) { ctx.font = want; font = want; }
      ctx.strokeText(label, x, y);
      ctx.fillStyle = f.color;
      ctx.fillText(label, x, y);
    }

    ctx.save();
    ctx.textAlign = "center";
    ctx.textBaseline = "top";
    ctx.strokeStyle = "rgba(255,255,255,0.92)";
    ctx.lineJoin = "round";
    ctx.lineWidth = 3 / scale;
    /* at most 300 labels, and at most 1,500 tries: zoomed out, the first few hubs fill the view */
    for (var i = 0, tries = 0; i < order.length && drawn.length < 300 && tries < 1500; i += 1) {
      /* (screen boxes, in CSS px, are kept in `drawn` for dgView.labels()) */
      var n = order[i], b = body.nodes[n.id];
      if (!visible[n.id] || !b || !n.dg.text) continue;
      var sx = (b.x - tl.x) * scale, sy = (b.y - tl.y) * scale;
      if (sx < -200 || sx > w + 200 || sy < -50 || sy > h + 50) continue;
      tries += 1;
      var f = fontOf(n), key = n.id;
      if (widths[key] === undefined) {
        ctx.font = font = (f.bold ? "600 " : "") + "100px " + FACE;
        widths[key] = ctx.measureText(n.dg.text).width / 100;
      }
      var tw = widths[key] * f.px, top = sy + (b.options.size || 10) * scale + 2;
      var box = [sx - tw / 2 - 2, top, sx + tw / 2 + 2, top + f.px * 1.25];
      if (!fits(box, n.dg.focus)) continue;
      text(n.dg.text, b.x, b.y + (b.options.size || 10) + 2 / scale, f);
      drawn.push({ id: n.id, box: box });
    }
    /* relation labels last, only where no node label is */
    var edgeFont = { px: 10, bold: false, color: "#52606d" }, shown = 0;
    if (scale >= 0.55) {
      for (var j = 0; j < realEdges.length && shown < 150; j += 1) {
        var e = realEdges[j];
        if (!visible[e.id] || !e.dg.text) continue;
        var a = body.nodes[e.from], c = body.nodes[e.to], mid;
        if (!a || !c) continue;
        try { mid = body.edges[e.id].edgeType.getPoint(0.5); } catch (err) { mid = null; }
        if (!mid || !isFinite(mid.x)) mid = { x: (a.x + c.x) / 2, y: (a.y + c.y) / 2 };
        var mx = (mid.x - tl.x) * scale, my = (mid.y - tl.y) * scale;
        if (mx < 0 || mx > w || my < 0 || my > h) continue;
        if (widths[e.id] === undefined) {
          ctx.font = font = "100px " + FACE;
          widths[e.id] = ctx.measureText(e.dg.text).width / 100;
        }
        var ew = widths[e.id] * edgeFont.px;
        var ebox = [mx - ew / 2 - 1, my - 7, mx + ew / 2 + 1, my + 7];
        if (!fits(ebox, false)) continue;
        ctx.textBaseline = "middle";
        text(e.dg.text, mid.x, mid.y, edgeFont);
        drawn.push({ id: e.id, box: ebox });
        shown += 1;
      }
    }
    ctx.restore();
  }

  function drawOpenGroups(ctx) {
    groups.forEach(function (g) {
      if (!open[g.id]) return;
      ctx.beginPath();
      ctx.arc(g.x, g.y, g.dg.radius, 0, 2 * Math.PI);
      ctx.fillStyle = "rgba(82, 96, 109, 0.05)";
      ctx.strokeStyle = "rgba(82, 96, 109, 0.35)";
      ctx.lineWidth = 1.5 / network.getScale();
      ctx.fill();
      ctx.stroke();
    });
  }
  network.on("beforeDrawing", drawOpenGroups);
  network.on("afterDrawing", drawLabels);

  /* ---- search ---- */
  var names = realNodes.map(function (n) {
    var all = [n.dg.label, n.dg.text].concat(n.dg.aliases || []);
    return { id: n.id, names: all.map(function (s) { return String(s).toLowerCase(); }) };
  });
  var list = $("dg-labels");
  realNodes.slice(0, 5000).forEach(function (n) {
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

  /* The find box jumps, without animation. vis-network 9.1.2 counts an animation in frames,
     not milliseconds (slow frames make it long), and a move started while another runs is lost
     (the first one's end wins); with Enter firing both "keydown" and "change", a second search
     filled the details but left the view where it was. */
  function moveTo(id, scale) {
    var b = network.body.nodes[id];
    if (!b) return;
    network.moveTo({ position: { x: b.x, y: b.y }, scale: Math.max(network.getScale(), scale),
                     animation: false });
  }

  var lastSearch = { q: null, t: 0 };
  function search() {
    var q = $("dg-search").value, status = $("dg-search-status");
    if (q === lastSearch.q && performance.now() - lastSearch.t < 300) return; /* Enter + change */
    lastSearch = { q: q, t: performance.now() };
    var id = find(q);
    if (id === null) { status.textContent = "no match"; return; }
    var n = byId[id];
    if (!passes(n)) { status.textContent = n.dg.label + " is hidden by a filter"; return; }
    status.textContent = "";
    if (n.dg.group && !open[n.dg.group]) { open[n.dg.group] = true; apply(); }
    network.selectNodes([id]);
    moveTo(id, 1.2);
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

  function showGroup(g) {
    var d = g.dg;
    details.replaceChildren(el("h3", d.label));
    var dl = el("dl");
    row(dl, "Nodes", String(d.size));
    Object.keys(d.counts).forEach(function (t) { row(dl, t, String(d.counts[t])); });
    row(dl, "Most connected", d.named);
    details.appendChild(dl);
    var b = el("button", open[g.id] ? "Close this group" : "Open this group");
    b.addEventListener("click", function () {
      open[g.id] = !open[g.id];
      apply();
      showGroup(g);
    });
    details.appendChild(b);
  }

  function showNode(id) {
    var n = byId[id];
    if (!n) return;
    if (n.dg.kind === "group") { showGroup(n); return; }
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
    if (d.evidence) details.appendChild(el("blockquote", d.evidence));
    var rel = network.getConnectedEdges(id).filter(function (eid) {
      var e = edges.get(eid);
      return e && e.dg.relation;
    });
    if (rel.length) {
      details.appendChild(el("h2", "Relations (" + rel.length + ")"));
      var ul = el("ul", null, "relations");
      rel.slice(0, 50).forEach(function (eid) {
        var e = edges.get(eid), out = e.from === id;
        var other = byId[out ? e.to : e.from];
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
    var d = e.dg, a = byId[e.from], b = byId[e.to];
    if (!d.relation) {
      details.replaceChildren(el("h3", (a ? a.dg.label : e.from) + " \u2014 " + (b ? b.dg.label : e.to)));
      details.appendChild(el("p", d.count + " link(s); open the group to see them"));
      return;
    }
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
    if (p.nodes.length) {
      var n = byId[p.nodes[0]];
      if (n && n.dg.kind === "group") { open[n.id] = true; apply(); }
      showNode(p.nodes[0]);
    } else if (p.edges.length) showEdge(p.edges[0]);
  });
  network.on("doubleClick", function (p) {
    if (p.nodes.length || !p.pointer) return;
    var c = p.pointer.canvas;
    groups.forEach(function (g) {
      var dx = c.x - g.x, dy = c.y - g.y;
      if (open[g.id] && dx * dx + dy * dy <= g.dg.radius * g.dg.radius) open[g.id] = false;
    });
    apply();
  });
}());
