// aksguard HTML report filters: show the results whose data-severity,
// data-status, data-area and data-cluster match the selected values.
// Without JavaScript the filter form stays hidden and every result shows.
(function () {
  "use strict";
  var form = document.getElementById("filters");
  if (!form) { return; }
  var selects = form.querySelectorAll("select");
  var results = document.querySelectorAll("li.result");
  var groups = document.querySelectorAll(".reason");
  var shown = document.getElementById("shown");
  function apply() {
    var n = 0;
    for (var i = 0; i < results.length; i++) {
      var el = results[i], ok = true;
      for (var j = 0; j < selects.length; j++) {
        var s = selects[j];
        if (s.value !== "" && el.getAttribute("data-" + s.name) !== s.value) { ok = false; break; }
      }
      el.hidden = !ok;
      if (ok) { n++; }
    }
    for (var k = 0; k < groups.length; k++) {
      groups[k].hidden = groups[k].querySelector("li.result:not([hidden])") === null;
    }
    shown.textContent = n + " of " + results.length + " shown";
  }
  form.addEventListener("change", apply);
  form.addEventListener("reset", function () { setTimeout(apply, 0); });
  form.addEventListener("submit", function (e) { e.preventDefault(); });
  form.hidden = false;
  apply();
})();
