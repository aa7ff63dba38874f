/* The SPARQL editor of the landing page: CodeMirror (when loaded) over a plain textarea; runs the query against
   the form's action (/sparql) with fetch, asking for SPARQL JSON results, and shows them as a table.
   Every value is inserted with textContent, and links are made only to http(s) IRIs. */
(function () {
  "use strict";
  var form = document.getElementById("sparql-form");
  if (!form) { return; }
  var textarea = form.querySelector("textarea[name=query]");
  var output = document.getElementById("sparql-results");
  var status = document.getElementById("sparql-status");
  var maxRows = parseInt(form.getAttribute("data-max-rows"), 10) || 1000;
  var idBase = form.getAttribute("data-id-base");
  var ontologyBase = form.getAttribute("data-ontology-base");
  var root = form.getAttribute("data-root") || "";
  var editor = null;

  if (window.CodeMirror) {
    editor = window.CodeMirror.fromTextArea(textarea, {
      mode: "application/sparql-query", lineNumbers: true, matchBrackets: true, indentUnit: 2,
      extraKeys: { "Ctrl-Enter": run, "Cmd-Enter": run }
    });
  } else {
    textarea.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) { event.preventDefault(); run(); }
    });
  }

  /* For scripts and tests: read or replace the query whichever editor is active. */
  window.claimgraphEditor = {
    getQuery: function () { return editor ? editor.getValue() : textarea.value; },
    setQuery: function (text) { if (editor) { editor.setValue(text); } else { textarea.value = text; } },
    run: run
  };

  form.addEventListener("submit", function (event) { event.preventDefault(); run(); });

  function link(iri) {
    if (idBase && iri.indexOf(idBase) === 0) { return root + "/id/" + iri.slice(idBase.length); }
    if (ontologyBase && iri.indexOf(ontologyBase) === 0) { return root + "/ontology#" + iri.slice(ontologyBase.length); }
    if (/^https?:\/\//i.test(iri)) { return iri; }
    return null;
  }

  function cell(term) {
    var td = document.createElement("td");
    if (!term) { return td; }
    if (term.type === "uri") {
      var target = link(term.value);
      var a = document.createElement(target ? "a" : "span");
      if (target) { a.href = target; }
      a.textContent = term.value;
      a.className = "iri";
      td.appendChild(a);
    } else if (term.type === "bnode") {
      td.textContent = "_:" + term.value;
    } else {
      var span = document.createElement("span");
      span.className = "literal";
      span.textContent = term.value;
      td.appendChild(span);
      var note = term["xml:lang"] ? "@" + term["xml:lang"] : (term.datatype ? term.datatype.replace(/^.*[#/]/, "") : "");
      if (note) {
        var small = document.createElement("small");
        small.className = "datatype";
        small.textContent = " " + note;
        td.appendChild(small);
      }
    }
    return td;
  }

  function table(data) {
    var vars = data.head.vars || [];
    var bindings = data.results.bindings || [];
    var shown = bindings.slice(0, maxRows);
    var t = document.createElement("table");
    t.className = "results";
    var head = t.createTHead().insertRow();
    vars.forEach(function (v) {
      var th = document.createElement("th");
      th.textContent = v;
      head.appendChild(th);
    });
    var body = t.createTBody();
    shown.forEach(function (binding) {
      var tr = body.insertRow();
      vars.forEach(function (v) { tr.appendChild(cell(binding[v])); });
    });
    return { element: t, total: bindings.length, shown: shown.length };
  }

  function say(text, isError) {
    status.textContent = text;
    status.className = isError ? "status error" : "status";
  }

  function run() {
    var query = editor ? editor.getValue() : textarea.value;
    var started = Date.now();
    output.textContent = "";
    say("Running…", false);
    fetch(form.getAttribute("action"), {
      method: "POST",
      headers: {
        "Content-Type": "application/x-www-form-urlencoded;charset=UTF-8",
        "Accept": "application/sparql-results+json, text/turtle;q=0.9"
      },
      body: new URLSearchParams({ query: query }).toString()
    }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      return response.text().then(function (text) {
        var ms = Date.now() - started;
        if (!response.ok) {
          var message = text;
          try { message = JSON.parse(text).message || text; } catch (e) { /* not JSON: show the text */ }
          say("Error " + response.status + ": " + message, true);
          return;
        }
        if (type.indexOf("sparql-results+json") >= 0) {
          var data = JSON.parse(text);
          if (Object.prototype.hasOwnProperty.call(data, "boolean")) {
            say("Answer: " + data["boolean"] + " (" + ms + " ms)", false);
            return;
          }
          var result = table(data);
          output.appendChild(result.element);
          var note = result.total + " row" + (result.total === 1 ? "" : "s") + " in " + ms + " ms";
          if (result.shown < result.total) {
            note += "; showing the first " + result.shown + " (HTML_MAX_ROWS)";
          }
          say(note, false);
        } else {
          var pre = document.createElement("pre");
          pre.className = "rdf";
          pre.textContent = text;
          output.appendChild(pre);
          say(type.split(";")[0] + " in " + ms + " ms", false);
        }
      });
    }).catch(function (error) {
      say("The request failed: " + error, true);
    });
  }
}());
