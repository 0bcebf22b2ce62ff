// Live screening on the subsidy application form: posts the figures as JSON to the
// side-effect-free screen endpoint and lists each rule's outcome. No inline script (CSP).
(function () {
  "use strict";
  var form = document.getElementById("subsidy-form");
  if (!form) { return; }
  var body = document.getElementById("live-checks");
  var summary = document.getElementById("live-summary");
  var ja = form.getAttribute("data-lang") === "ja";
  var words = JSON.parse(form.getAttribute("data-words") || "{}");
  var timer = null;
  function record() {
    var out = {};
    form.querySelectorAll("[data-app]").forEach(function (el) {
      if (el.type === "checkbox") { out[el.name] = el.checked; }
      else if (el.value.trim() !== "") { out[el.name] = el.value.trim(); }
    });
    return out;
  }
  function callName() {
    var select = form.querySelector("select[name=call]");
    return select ? select.value : "FY2022";
  }
  function cell(row, text) {
    var td = document.createElement("td");
    td.textContent = text === null || text === undefined ? "—" : String(text);
    row.appendChild(td);
  }
  function show(result) {
    body.textContent = "";
    if (result.checks) {
      summary.textContent = (result.eligible ? (ja ? "要件を満たしています" : "Eligible")
        : (ja ? "要件を満たしていません" : "Not eligible")) +
        (result.needs_review ? (ja ? "（要確認）" : " (needs review)") : "");
      result.checks.forEach(function (c) {
        var tr = document.createElement("tr");
        tr.className = "check-" + c.status;
        cell(tr, words["rule." + c.rule] || c.rule);
        cell(tr, words["status." + c.status] || c.status); cell(tr, c.value); cell(tr, c.limit);
        cell(tr, ja ? c.message_ja : c.message_en);
        body.appendChild(tr);
      });
    } else {
      var errors = result.errors || [];
      summary.textContent = errors.map(function (e) {
        return e.field + ": " + (ja ? e.message_ja : e.message_en);
      }).join(" / ") || (ja ? result.detail_ja : result.detail) || "";
    }
  }
  function run() {
    // A signed-in browser's JSON writes carry the form's CSRF token in X-CSRF-Token.
    var token = form.querySelector("input[name=csrf_token]");
    fetch(form.getAttribute("data-screen-url"), {
      method: "POST",
      headers: { "Content-Type": "application/json", "Accept": "application/json",
                 "X-CSRF-Token": token ? token.value : "" },
      body: JSON.stringify({ call: callName(), application: record() }),
      credentials: "same-origin"
    }).then(function (r) { return r.json(); }).then(show).catch(function () {});
  }
  form.addEventListener("input", function () {
    if (timer) { clearTimeout(timer); }
    timer = setTimeout(run, 300);
  });
  form.addEventListener("change", run);
})();
