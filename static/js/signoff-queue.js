// The mentor's queue: "select all" and a count of the ticked cases. Without this script
// the boxes still work one by one.
(function () {
  "use strict";
  const form = document.querySelector("form.batch-form");
  if (!form) return;
  const boxes = Array.from(form.querySelectorAll("input[name=cases]"));
  const all = form.querySelector("[data-select-all]");
  const count = form.querySelector("[data-selected-count]");

  function update() {
    const ticked = boxes.filter((box) => box.checked).length;
    if (all) {
      all.checked = ticked === boxes.length && ticked > 0;
      all.indeterminate = ticked > 0 && ticked < boxes.length;
    }
    if (count) {
      count.textContent = count.dataset.template.replace("{n}", String(ticked));
      count.hidden = ticked === 0;
    }
  }

  if (all) {
    all.closest("[hidden]")?.removeAttribute("hidden");
    all.addEventListener("change", () => {
      for (const box of boxes) box.checked = all.checked;
      update();
    });
  }
  for (const box of boxes) box.addEventListener("change", update);
  update();
})();
