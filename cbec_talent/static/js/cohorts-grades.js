// Grade grid: Enter moves to the next score cell in row order (Tab already does); values outside 0..100 are marked.
document.addEventListener("DOMContentLoaded", function () {
  var form = document.getElementById("grade-grid");
  if (!form) { return; }
  var cells = Array.prototype.slice.call(form.querySelectorAll("input.score"));
  cells.forEach(function (input, i) {
    input.addEventListener("focus", function () { input.select(); });
    input.addEventListener("keydown", function (e) {
      if (e.key === "Enter") {
        e.preventDefault();
        var next = cells[i + 1];
        if (next) { next.focus(); next.select(); } else { document.getElementById("grades-save").focus(); }
      }
    });
    input.addEventListener("input", function () {
      var v = input.value.trim();
      var bad = v !== "" && !(/^\d+(\.\d{1,2})?$/.test(v) && parseFloat(v) <= 100);
      input.setAttribute("aria-invalid", bad ? "true" : "false");
      input.style.outline = bad ? "2px solid #c00" : "";
    });
  });
  if (cells.length) { cells[0].focus(); cells[0].select(); }
  form.dataset.rendered = "1";
});
