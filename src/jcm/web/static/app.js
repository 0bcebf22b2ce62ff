// Renders every chart on a page from its data-chart attribute with the Plotly bundle
// served by the app itself, so pages work offline and under a CSP without inline script.
(function () {
  "use strict";
  // The chart toolbar and dates in Japanese on a Japanese page (Plotly's "locales" option;
  // the strings are the ones the bundled Plotly shows on these charts).
  var JA = {
    dictionary: {
      "Download plot as a png": "グラフをPNG画像で保存",
      "Download plot as a PNG": "グラフをPNG画像で保存",
      "Download plot": "グラフを保存",
      "Zoom": "ズーム",
      "Pan": "移動",
      "Box Select": "矩形で選択",
      "Lasso Select": "自由形で選択",
      "Zoom in": "拡大",
      "Zoom out": "縮小",
      "Autoscale": "自動調整",
      "Reset axes": "軸を元に戻す",
      "Reset view": "表示を元に戻す",
      "Toggle Spike Lines": "補助線の表示切替",
      "Show closest data on hover": "カーソルに最も近い値を表示",
      "Compare data on hover": "カーソル位置の値を比較",
      "Toggle show closest data on hover": "最も近い値の表示切替",
      "Double-click to zoom back out": "ダブルクリックで元の表示に戻ります",
      "Double-click on legend to isolate one trace": "凡例をダブルクリックするとその系列だけを表示します",
      "Snapshot succeeded": "画像を保存しました",
      "Sorry, there was a problem downloading your snapshot!": "画像の保存に失敗しました",
      "Taking snapshot - this may take a few seconds": "画像を作成しています（数秒かかることがあります）"
    },
    format: {
      days: ["日曜日", "月曜日", "火曜日", "水曜日", "木曜日", "金曜日", "土曜日"],
      shortDays: ["日", "月", "火", "水", "木", "金", "土"],
      months: ["1月", "2月", "3月", "4月", "5月", "6月", "7月", "8月", "9月", "10月", "11月", "12月"],
      shortMonths: ["1月", "2月", "3月", "4月", "5月", "6月", "7月", "8月", "9月", "10月", "11月", "12月"],
      date: "%Y/%m/%d"
    }
  };
  function config() {
    var out = { displaylogo: false, responsive: true };
    if (document.documentElement.lang === "ja") {
      out.locale = "ja";
      out.locales = { ja: JA };
    }
    return out;
  }
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
    window.Plotly.newPlot(el, traces, layout, config());
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
