// Never lose an entry: the case form is copied to this device's storage as it is typed,
// offered back if the page is opened again before it was saved, and forgotten once saved.
(function () {
  "use strict";
  const user = document.body.dataset.user;
  if (!user || !window.localStorage) return;
  const prefix = `caselog:unsaved:${user}:`;

  // The page shown after a successful save forgets the entry it came from.
  const saved = document.querySelector("[data-saved-case]");
  if (saved) {
    localStorage.removeItem(prefix + "/cases/new");
    localStorage.removeItem(prefix + `/cases/${saved.dataset.savedCase}/edit`);
  }

  const form = document.querySelector("form[data-autosave]");
  if (!form) return;
  const key = prefix + form.dataset.autosave;

  function snapshot() {
    const values = {};
    for (const element of form.elements) {
      if (!element.name || element.name === "csrf_token" || element.type === "submit") continue;
      if (element.type === "radio" || element.type === "checkbox") {
        if (element.checked) (values[element.name] ||= []).push(element.value);
      } else if (element.multiple) {
        values[element.name] = Array.from(element.selectedOptions, (o) => o.value);
      } else {
        values[element.name] = [element.value];
      }
    }
    return values;
  }

  function restore(values) {
    for (const element of form.elements) {
      if (!element.name || !(element.name in values)) continue;
      const wanted = values[element.name];
      if (element.type === "radio" || element.type === "checkbox") {
        element.checked = wanted.includes(element.value);
      } else if (element.multiple) {
        for (const option of element.options) option.selected = wanted.includes(option.value);
      } else {
        element.value = wanted[0];
      }
      element.dispatchEvent(new Event("picker:refresh"));
    }
    const details = form.querySelector("details");
    if (details) details.open = true;
  }

  function store() {
    localStorage.setItem(key, JSON.stringify({ at: Date.now(), values: snapshot() }));
  }

  const kept = localStorage.getItem(key);
  const banner = document.getElementById("restore-banner");
  if (kept && banner && !form.hasAttribute("data-posted")) {
    banner.classList.remove("d-none");
    banner.querySelector("[data-restore]").addEventListener("click", () => {
      restore(JSON.parse(kept).values);
      banner.remove();
    });
    banner.querySelector("[data-discard]").addEventListener("click", () => {
      localStorage.removeItem(key);
      banner.remove();
    });
  }
  form.addEventListener("input", store);
  form.addEventListener("change", store);
})();
