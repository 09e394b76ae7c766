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

// A browser sends an impossible date (30 February) as an empty field, and the server would then
// file the update under the period's end: stop and say so instead.
document.querySelectorAll("form.update-form").forEach(function (form) {
  form.addEventListener("submit", function (event) {
    form.querySelectorAll("input[type=date]").forEach(function (input) {
      var note = input.parentNode.querySelector(".bad-date");
      if (note) note.remove();
      if (!input.validity.badInput) return;
      event.preventDefault();
      note = document.createElement("p");
      note.className = "error bad-date";
      note.setAttribute("role", "alert");
      note.textContent = form.dataset.badDate;
      input.insertAdjacentElement("afterend", note);
      input.focus();
    });
  });
});
