// dealgraph query page: runs SPARQL against this server's /sparql endpoint.
// Everything that comes back (labels, evidence sentences from news articles) is
// untrusted and is only ever written with textContent, never as HTML.
"use strict";

(function () {
  const PREFIXES = {
    "https://w3id.org/dealgraph/ontology#": "dg:",
    "https://w3id.org/dealgraph/id/": "id:",
    "https://schema.org/": "schema:",
    "http://www.w3.org/2000/01/rdf-schema#": "rdfs:",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#": "rdf:",
    "http://www.w3.org/ns/prov#": "prov:",
    "http://www.w3.org/ns/org#": "org:",
    "http://www.w3.org/2004/02/skos/core#": "skos:",
    "http://www.w3.org/2001/XMLSchema#": "xsd:",
  };

  const $ = (id) => document.getElementById(id);
  const el = (tag, text, cls) => {
    const e = document.createElement(tag);
    if (text !== undefined) e.textContent = text;
    if (cls) e.className = cls;
    return e;
  };

  function shorten(iri) {
    for (const ns in PREFIXES) {
      if (iri.startsWith(ns)) return PREFIXES[ns] + iri.slice(ns.length);
    }
    return iri;
  }

  function showError(message) {
    const box = $("error");
    box.textContent = message;
    box.hidden = false;
    // "... at line 3, column 20: ..." (graph/sparql_errors.py): select that line in the editor
    const at = /at line (\d+), column (\d+)/.exec(message);
    if (at) {
      const lines = $("query").value.split("\n");
      const line = Math.min(parseInt(at[1], 10), lines.length) - 1;
      let start = 0;
      for (let i = 0; i < line; i++) start += lines[i].length + 1;
      $("query").setSelectionRange(start, start + lines[line].length);
      window.dgErrorAt = { line: line + 1, column: parseInt(at[2], 10) };
    }
  }

  // Saved questions' parameters: one input each (#params); their values are bound
  // when the query runs, by a VALUES block after every "WHERE {" (the outer query
  // and each subquery), as `dealgraph query --param` does (graph/query.py).
  function sparqlString(value) {
    return '"' + value.replace(/\\/g, "\\\\").replace(/"/g, '\\"')
      .replace(/\n/g, "\\n").replace(/\r/g, "\\r") + '"';
  }

  function currentParams(query) {
    const out = {};
    for (const input of $("params").querySelectorAll("input[data-param]")) {
      const name = input.dataset.param;
      if (new RegExp("[?$]" + name + "\\b").test(query)) out[name] = input.value;
    }
    return out;
  }

  function bindParameters(query, params) {
    const names = Object.keys(params);
    if (!names.length) return query;
    const block = " VALUES (" + names.map((n) => "?" + n).join(" ") + ") { (" +
      names.map((n) => sparqlString(params[n])).join(" ") + ") }";
    const where = /\bWHERE\s*\{/gi;
    if (where.test(query)) return query.replace(/\bWHERE\s*\{/gi, (m) => m + block);
    return query.replace("{", "{" + block);
  }

  function showParams(example) {
    const box = $("params");
    box.textContent = "";
    const names = Object.keys(example.params || {});
    box.hidden = names.length === 0;
    if (!names.length) return;
    box.appendChild(el("legend", "Parameters of " + example.name));
    for (const name of names) {
      const label = el("label", name + " ");
      const input = el("input");
      input.type = "text";
      input.id = "param-" + name;
      input.dataset.param = name;
      input.value = example.params[name] || "";
      input.addEventListener("keydown", (e) => { if (e.key === "Enter") run(e); });
      label.appendChild(input);
      box.appendChild(label);
    }
  }

  function renderTable(data) {
    const vars = data.head.vars || [];
    const table = el("table");
    const head = el("tr");
    vars.forEach((v) => head.appendChild(el("th", v)));
    table.appendChild(el("thead")).appendChild(head);
    const body = el("tbody");
    for (const row of data.results.bindings) {
      const tr = el("tr");
      for (const v of vars) {
        const term = row[v];
        if (!term) { tr.appendChild(el("td", "", "unbound")); continue; }
        if (term.type === "uri") tr.appendChild(el("td", shorten(term.value), "iri"));
        else if (term.type === "bnode") tr.appendChild(el("td", "_:" + term.value));
        else tr.appendChild(el("td", term.value));
      }
      body.appendChild(tr);
    }
    table.appendChild(body);
    return table;
  }

  async function run(event) {
    if (event) event.preventDefault();
    const query = bindParameters($("query").value, currentParams($("query").value));
    const results = $("results");
    $("error").hidden = true;
    results.textContent = "";
    $("status").textContent = "running…";
    const started = performance.now();
    let response;
    try {
      response = await fetch("/sparql", {
        method: "POST",
        headers: {
          "Content-Type": "application/x-www-form-urlencoded",
          "Accept": "application/sparql-results+json, text/turtle;q=0.9",
        },
        body: new URLSearchParams({ query }),
      });
    } catch (e) {
      $("status").textContent = "";
      showError("cannot reach the server: " + e);
      return;
    }
    const ms = Math.round(performance.now() - started);
    const type = (response.headers.get("Content-Type") || "").split(";")[0];
    const text = await response.text();
    if (!response.ok) {
      $("status").textContent = response.status + " after " + ms + " ms";
      showError(text);
      return;
    }
    if (type === "application/sparql-results+json") {
      const data = JSON.parse(text);
      if (typeof data.boolean === "boolean") {
        results.appendChild(el("p", "ASK: " + data.boolean));
        $("status").textContent = ms + " ms";
      } else {
        results.appendChild(renderTable(data));
        $("status").textContent = data.results.bindings.length + " rows · " + ms + " ms";
      }
    } else {
      results.appendChild(el("pre", text, "graph"));
      $("status").textContent = ms + " ms";
    }
    window.dgLastResult = { status: response.status, type: type, query: query };
  }

  function download() {
    const query = bindParameters($("query").value, currentParams($("query").value));
    const params = new URLSearchParams({ query, format: $("format").value });
    window.location.href = "/sparql?" + params.toString();
  }

  async function loadExamples() {
    const list = $("examples");
    try {
      const response = await fetch("/queries.json", { headers: { Accept: "application/json" } });
      const examples = await response.json();
      list.textContent = "";
      for (const ex of examples) {
        const button = el("button");
        button.type = "button";
        button.appendChild(el("span", ex.name, "name"));
        button.appendChild(el("span", ex.description, "desc"));
        button.addEventListener("click", () => {
          $("query").value = ex.template || ex.sparql;
          showParams(ex.template ? ex : { params: {} });
          run();
        });
        list.appendChild(el("li")).appendChild(button);
      }
      window.dgExamples = examples.length;
    } catch (e) {
      list.textContent = "";
      list.appendChild(el("li", "could not load the saved questions: " + e, "hint"));
    }
  }

  document.addEventListener("DOMContentLoaded", () => {
    $("form").addEventListener("submit", run);
    $("download").addEventListener("click", download);
    $("query").addEventListener("keydown", (e) => {
      if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) run(e);
    });
    loadExamples();
  });
})();
