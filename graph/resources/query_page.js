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
    const query = $("query").value;
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
    window.dgLastResult = { status: response.status, type: type };
  }

  function download() {
    const params = new URLSearchParams({ query: $("query").value, format: $("format").value });
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
          $("query").value = ex.sparql;
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
