// The task list's bulk bar, a little quicker with JavaScript (it all works without): a box that
// ticks every row of the page, the count of ticked rows, and only the fields the chosen action uses.
(function () {
  "use strict";
  var form = document.getElementById("bulk");
  if (!form) return;
  var all = form.querySelector("[data-select-all]");
  var boxes = Array.prototype.slice.call(form.querySelectorAll("input[name=row]"));
  var count = form.querySelector("[data-bulk-count]");
  var countBox = form.querySelector("[data-bulk-count-box]");
  var action = form.querySelector("select[name=bulk-action]");

  function update() {
    var ticked = boxes.filter(function (b) { return b.checked; }).length;
    count.textContent = ticked;
    all.checked = ticked > 0 && ticked === boxes.length;
    all.indeterminate = ticked > 0 && ticked < boxes.length;
    boxes.forEach(function (b) { b.closest("tr").classList.toggle("is-picked", b.checked); });
  }

  function showFields() {
    if (!action) return;
    form.querySelectorAll("[data-bulk-for]").forEach(function (f) {
      f.hidden = f.getAttribute("data-bulk-for").split(" ").indexOf(action.value) < 0;
    });
  }

  all.hidden = false;
  countBox.hidden = false;
  all.addEventListener("change", function () {
    boxes.forEach(function (b) { b.checked = all.checked; });
    update();
  });
  boxes.forEach(function (b) { b.addEventListener("change", update); });
  if (action) action.addEventListener("change", showFields);
  update();
  showFields();
})();
