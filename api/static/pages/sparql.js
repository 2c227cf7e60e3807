// The SPARQL query page: YASGUI over /sparql with the example queries the page carries as JSON.
(function () {
  const examples = JSON.parse(document.getElementById("example-queries").textContent);
  const select = document.getElementById("examples");
  for (const [name, text] of Object.entries(examples)) {
    const option = document.createElement("option");
    option.value = name;
    option.textContent = name;
    select.appendChild(option);
  }
  const first = Object.values(examples)[0] || "SELECT * WHERE { ?s ?p ?o } LIMIT 10";
  if (typeof Yasgui === "undefined") {
    document.getElementById("fallback").hidden = false;
    document.getElementById("fallback-query").value = first;
    select.addEventListener("change", () => {
      document.getElementById("fallback-query").value = examples[select.value];
    });
    return;
  }
  const endpoint = new URL("/sparql", window.location.href).href;
  const yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: true,
    endpointCatalogueOptions: { getData: () => [{ endpoint: endpoint }] },
    persistenceId: null,
  });
  yasgui.getTab().setQuery(first);
  select.addEventListener("change", () => yasgui.getTab().setQuery(examples[select.value]));
})();
