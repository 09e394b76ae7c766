// Where a dimension covers everyone, the total is the sum of its parts: show it as people type.
// The server computes and checks the same, so the form works without this script.
document.querySelectorAll("form.update-form").forEach(function (form) {
  var total = form.querySelector("[name=value]");
  var group = form.querySelector("fieldset.parts[data-exhaustive]");
  if (!total || !group) return;
  var parts = group.querySelectorAll("input");
  function recompute() {
    var sum = 0, any = false;
    parts.forEach(function (input) {
      var n = parseFloat(input.value.replace(",", "."));
      if (!isNaN(n)) { sum += n; any = true; }
    });
    // With no part given the total may be typed directly.
    total.readOnly = any;
    if (any) total.value = String(Math.round(sum * 10000) / 10000);
  }
  parts.forEach(function (input) { input.addEventListener("input", recompute); });
  recompute();
});
