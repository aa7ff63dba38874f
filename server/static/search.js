// The search box of every page: entities by name as you type (from /search/suggest), arrows and Enter to pick one.
(function () {
  "use strict";
  var input = document.getElementById("site-search");
  var list = document.getElementById("site-search-suggestions");
  if (!input || !list || !window.fetch) { return; }
  var timer = null, active = -1, items = [], last = "";

  function clear() { list.hidden = true; list.textContent = ""; items = []; active = -1; }

  function show(entities) {
    list.textContent = "";
    items = entities;
    active = -1;
    entities.forEach(function (e, i) {
      var li = document.createElement("li");
      li.setAttribute("role", "option");
      li.id = "site-search-option-" + i;
      var a = document.createElement("a");
      a.href = e.url;
      a.textContent = e.label;
      var kind = document.createElement("small");
      kind.textContent = " " + e.kind + (e.claims ? " · " + e.claims + " claims" : "");
      a.appendChild(kind);
      li.appendChild(a);
      list.appendChild(li);
    });
    list.hidden = entities.length === 0;
  }

  function fetchSuggestions() {
    var q = input.value.trim();
    if (q === last) { return; }
    last = q;
    if (q.length < 2) { clear(); return; }
    fetch(input.dataset.suggest + "?q=" + encodeURIComponent(q), { headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : { entities: [] }; })
      .then(function (data) { if (input.value.trim() === q) { show(data.entities || []); } })
      .catch(function () { clear(); });
  }

  function highlight(i) {
    var options = list.querySelectorAll("li");
    options.forEach(function (li, j) { li.classList.toggle("active", j === i); });
    active = i;
    if (i >= 0) { input.setAttribute("aria-activedescendant", options[i].id); }
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(fetchSuggestions, 120);
  });
  input.addEventListener("keydown", function (ev) {
    if (list.hidden) { return; }
    if (ev.key === "ArrowDown") { highlight(Math.min(active + 1, items.length - 1)); ev.preventDefault(); }
    else if (ev.key === "ArrowUp") { highlight(Math.max(active - 1, -1)); ev.preventDefault(); }
    else if (ev.key === "Enter" && active >= 0) { window.location.href = items[active].url; ev.preventDefault(); }
    else if (ev.key === "Escape") { clear(); }
  });
  document.addEventListener("click", function (ev) { if (!list.contains(ev.target) && ev.target !== input) { clear(); } });
}());
