// The framework form, enhanced: a filter box over each target's procedures, the count of
// chosen procedures kept up to date, the procedures of a newly chosen specialty shown at once,
// and the page kept where it was after removing a target. Without JavaScript all of it still
// works through the form's own buttons.
(function () {
  "use strict";
  const form = document.querySelector("form[data-framework-form]");
  if (!form) return;
  const SCROLL_KEY = "caselog:frameworks:scroll";

  function normalise(text) {
    return text.toLocaleLowerCase().normalize("NFKD").replace(/[\u0300-\u036f]/g, "");
  }

  for (const details of form.querySelectorAll(".cf-procedure-choice")) {
    const filter = details.querySelector("[data-procedure-filter]");
    const checks = Array.from(details.querySelectorAll(".cf-procedure-check"));
    const count = details.querySelector("[data-chosen-count]");
    if (filter && checks.length > 6) {
      filter.hidden = false;
      for (const check of checks) check.dataset.haystack = normalise(check.dataset.search || "");
      filter.addEventListener("input", () => {
        const words = normalise(filter.value).split(/\s+/).filter(Boolean);
        for (const check of checks) {
          check.hidden = !words.every((word) => check.dataset.haystack.includes(word));
        }
      });
      // Enter in the filter box must not submit the form.
      filter.addEventListener("keydown", (event) => {
        if (event.key === "Enter") event.preventDefault();
      });
    }
    details.addEventListener("change", (event) => {
      if (!count || event.target.type !== "checkbox") return;
      const chosen = checks.filter((check) => check.querySelector("input").checked);
      count.textContent = count.dataset.template.replace("{n}", chosen.length);
      const names = details.querySelector(".cf-procedure-names");
      if (names) names.hidden = true;  // the list under the summary is now out of date
    });
  }

  // A new specialty: show its procedures straight away.
  const specialty = form.querySelector("select[name='specialty_id']");
  const refresh = form.querySelector("[data-refresh]");
  if (specialty && refresh) {
    refresh.hidden = true;
    specialty.addEventListener("change", () => form.requestSubmit(refresh));
  }

  // After Remove, come back to the same place on the re-rendered page.
  form.addEventListener("submit", (event) => {
    const button = event.submitter;
    if (button && /-remove$/.test(button.name)) {
      sessionStorage.setItem(SCROLL_KEY, JSON.stringify({ path: location.pathname, y: scrollY }));
    }
  });
  const saved = sessionStorage.getItem(SCROLL_KEY);
  if (saved) {
    sessionStorage.removeItem(SCROLL_KEY);
    const { path, y } = JSON.parse(saved);
    if (path === location.pathname) window.scrollTo(0, y);
  }
})();
