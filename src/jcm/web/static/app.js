// Renders every chart on a page from its data-chart attribute with the Plotly bundle
// served by the app itself, so pages work offline and under a CSP without inline script.
(function () {
  "use strict";
  function draw(el) {
    if (!window.Plotly) { return; }
    var spec;
    try { spec = JSON.parse(el.getAttribute("data-chart")); } catch (e) { return; }
    var trace = { type: spec.type || "bar", x: spec.x, y: spec.y, marker: { color: "#0b5e55" } };
    var layout = {
      title: { text: spec.title, font: { size: 14 } },
      margin: { l: 60, r: 10, t: 40, b: 90 },
      yaxis: { title: { text: spec.ylabel || "" } },
      xaxis: { type: "category", automargin: true },
      paper_bgcolor: "#fff", plot_bgcolor: "#fff"
    };
    // Multi-trace charts: spec.traces replaces the single bar, spec.layout adds to the layout.
    var traces = spec.traces || [trace];
    if (spec.layout) {
      Object.keys(spec.layout).forEach(function (k) { layout[k] = spec.layout[k]; });
    }
    window.Plotly.newPlot(el, traces, layout, { displaylogo: false, responsive: true });
    // Drill-down: a point whose customdata is a site path opens that page.
    if (el.on) {
      el.on("plotly_click", function (ev) {
        var pt = ev && ev.points && ev.points[0];
        var href = pt && pt.customdata;
        if (typeof href === "string" && href.charAt(0) === "/" && href.charAt(1) !== "/") {
          window.location.assign(href);
        }
      });
    }
    el.setAttribute("data-rendered", "true");
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".chart[data-chart]").forEach(draw);
  });
})();

// A button marked data-print prints the page (the print style sheet keeps only the content).
(function () {
  "use strict";
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
})();
