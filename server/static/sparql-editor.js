// /sparql-editor: YASGUI (vendor/yasgui-4.6.2) on this server's endpoint, with our prefixes and the canned queries
// as examples. The state of each tab is in the URL (share button) and in the browser's local storage.
(function () {
  "use strict";
  var element = document.getElementById("yasgui");
  var config = JSON.parse(document.getElementById("editor-config").textContent);
  if (!element || !window.Yasgui) { return; }
  var Yasgui = window.Yasgui;
  // nothing is fetched from other sites: no prefix.cc lookups (our prefixes are in every new query instead)
  Yasgui.Yasqe.defaults.autocompleters = (Yasgui.Yasqe.defaults.autocompleters || []).filter(function (name) {
    return name !== "prefixes";
  });
  Yasgui.Yasqe.defaults.value = config.defaultQuery;
  var yasgui = new Yasgui(element, {
    requestConfig: { endpoint: config.endpoint, method: "POST" },
    copyEndpointOnNewTab: false,
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: config.endpoint }]; } },
    persistenceId: "claimgraph-yasgui",
    populateFromUrl: true,
    yasr: { pluginOrder: ["table", "response"], defaultPlugin: "table" }
  });
  window.claimgraphYasgui = yasgui;
  // a plain link to the current query: /sparql-editor?query=... opens it (YASGUI reads the URL on load)
  var share = document.getElementById("editor-share");
  function updateShare() {
    var tab = yasgui.getTab();
    if (!share || !tab) { return; }
    share.href = window.location.origin + window.location.pathname + "?query=" +
      encodeURIComponent(tab.getQuery()) + "&endpoint=" + encodeURIComponent(config.endpoint);
  }
  yasgui.on("queryResponse", updateShare);
  yasgui.on("tabSelect", function () { setTimeout(updateShare, 0); });
  if (share) {
    share.addEventListener("mouseenter", updateShare);
    share.addEventListener("focus", updateShare);
  }
  updateShare();
  var examples = document.getElementById("editor-examples");
  if (examples) {
    examples.addEventListener("change", function () {
      var chosen = config.examples[examples.value];
      if (!chosen) { return; }
      var tab = yasgui.addTab(true, { name: examples.value });
      tab.setQuery(chosen);
      examples.value = "";
    });
  }
}());
