// Turns the procedure <select>s into type-to-search boxes (ARIA combobox pattern).
// Without JavaScript the plain <select> still works; with it, a few letters of a name,
// short name or synonym in any of the catalogue's languages find the procedure, listed in the
// reader's language with the English name beside it. The <select> stays in the form and
// carries the value. Each option's data-search holds its names folded by the server
// (caselog/folding.py); what is typed is folded the same way here.
(function () {
  "use strict";
  const MAX_RESULTS = 8;

  // As caselog/folding.py: lower case, ё as е, accents of Latin letters dropped. Hangul is
  // split into letters, so that a syllable still being composed (유하 on the way to 유합)
  // already matches.
  function normalise(text) {
    return text
      .normalize("NFKC")
      .toLowerCase()
      .replace(/ё/g, "е")
      .normalize("NFKD")
      .replace(/([\u0000-\u024f])\p{M}+/gu, "$1")
      .replace(/\s+/g, " ");
  }

  function nameOf(option) {
    return option.dataset.name || option.textContent.trim();
  }

  function catalogue(select) {
    return Array.from(select.options)
      .filter((option) => option.value)
      .map((option) => ({
        option,
        name: nameOf(option),
        english: option.dataset.english || "",
        fallback: option.dataset.fallback || "",
        group: option.parentElement.tagName === "OPTGROUP" ? option.parentElement.label : "",
        names: [nameOf(option), option.dataset.english || ""].map(normalise),
        haystack: normalise(option.dataset.search || option.textContent),
        terms: (option.dataset.search || option.textContent).split("\n").map(normalise),
      }));
  }

  // First the procedures one of whose names, short names or synonyms is exactly what was
  // typed (ТЛИФ, 척추 유합술), then those whose name begins with it, then the rest.
  function rank(entry, typed, first) {
    if (entry.terms.includes(typed)) return 0;
    if (entry.names.some((name) => name.startsWith(first))) return 1;
    if (entry.terms.some((term) => term.startsWith(typed))) return 2;
    return entry.names.some((name) => name.includes(first)) ? 3 : 4;
  }

  function matches(entries, query) {
    const typed = normalise(query).trim();
    const words = typed.split(/\s+/).filter(Boolean);
    if (!words.length) return [];
    const scored = [];
    for (const entry of entries) {
      if (entry.option.selected && entry.option.parentElement.closest("select").multiple) continue;
      if (!words.every((w) => entry.haystack.includes(w))) continue;
      scored.push([rank(entry, typed, words[0]), entry]);
    }
    scored.sort((a, b) => a[0] - b[0] || a[1].name.localeCompare(b[1].name));
    return scored.slice(0, MAX_RESULTS).map((pair) => pair[1]);
  }

  function enhance(select) {
    const multiple = select.multiple;
    const entries = catalogue(select);
    const label = document.querySelector(`label[for="${select.id}"]`);
    const wrapper = document.createElement("div");
    wrapper.className = "picker";
    const input = document.createElement("input");
    input.type = "search";
    input.id = select.id + "-search";
    input.className = select.className.replace("form-select", "form-control") + " picker-input";
    input.autocomplete = "off";
    input.spellcheck = false;
    input.placeholder = select.dataset.placeholder || "";
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", select.id + "-listbox");
    if (select.getAttribute("aria-describedby")) {
      input.setAttribute("aria-describedby", select.getAttribute("aria-describedby"));
    }
    const list = document.createElement("ul");
    list.id = select.id + "-listbox";
    list.className = "picker-list";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    const chips = document.createElement("div");
    chips.className = "picker-chips";

    if (label) label.htmlFor = input.id;
    select.hidden = true;
    select.setAttribute("aria-hidden", "true");
    select.tabIndex = -1;
    select.after(wrapper);
    wrapper.append(input, list);
    if (multiple) wrapper.append(chips);

    let results = [];
    let active = -1;

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function render() {
      list.replaceChildren();
      results.forEach((entry, index) => {
        const item = document.createElement("li");
        item.id = `${select.id}-option-${entry.option.value}`;
        item.setAttribute("role", "option");
        item.className = "picker-option" + (index === active ? " active" : "");
        item.setAttribute("aria-selected", index === active ? "true" : "false");
        const name = document.createElement("span");
        name.className = "picker-name";
        name.textContent = entry.name;
        if (entry.fallback) {
          name.lang = "en";
          const mark = document.createElement("span");
          mark.className = "name-fallback";
          mark.textContent = "EN";
          mark.title = entry.fallback;
          name.append(" ", mark);
        }
        item.append(name);
        if (entry.english) {
          const english = document.createElement("span");
          english.className = "english-name";
          english.lang = "en";
          english.textContent = entry.english;
          item.append(english);
        }
        const group = document.createElement("small");
        group.textContent = entry.group;
        item.append(group);
        item.addEventListener("mousedown", (event) => event.preventDefault());
        item.addEventListener("click", () => choose(entry));
        list.append(item);
      });
      if (!results.length && input.value.trim()) {
        const none = document.createElement("li");
        none.className = "picker-empty";
        none.textContent = select.dataset.noMatch || "No procedure matches";
        list.append(none);
      }
      list.hidden = !input.value.trim();
      input.setAttribute("aria-expanded", String(!list.hidden));
      if (active >= 0) input.setAttribute("aria-activedescendant", list.children[active].id);
    }

    function choose(entry) {
      entry.option.selected = true;
      if (multiple) {
        input.value = "";
        renderChips();
      } else {
        input.value = entry.name;
      }
      close();
      select.dispatchEvent(new Event("change", { bubbles: true }));
    }

    function renderChips() {
      chips.replaceChildren();
      for (const option of select.selectedOptions) {
        const chip = document.createElement("button");
        chip.type = "button";
        chip.className = "btn btn-sm btn-outline-secondary picker-chip";
        chip.textContent = nameOf(option) + " ×";
        chip.setAttribute("aria-label", (select.dataset.removeLabel || "Remove") + " " + nameOf(option));
        chip.addEventListener("click", () => {
          option.selected = false;
          renderChips();
          select.dispatchEvent(new Event("change", { bubbles: true }));
        });
        chips.append(chip);
      }
    }

    input.addEventListener("input", () => {
      if (!multiple) select.value = "";
      results = matches(entries, input.value);
      active = results.length ? 0 : -1;
      render();
    });
    input.addEventListener("keydown", (event) => {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        if (!results.length) return;
        event.preventDefault();
        const step = event.key === "ArrowDown" ? 1 : -1;
        active = (active + step + results.length) % results.length;
        render();
      } else if (event.key === "Enter" && !list.hidden && active >= 0) {
        event.preventDefault();
        choose(results[active]);
      } else if (event.key === "Escape") {
        close();
      }
    });
    input.addEventListener("blur", () => {
      close();
      if (!multiple) {
        const chosen = select.selectedOptions[0];
        input.value = chosen && chosen.value ? nameOf(chosen) : input.value;
      }
    });
    select.addEventListener("picker:refresh", () => {
      if (multiple) renderChips();
      else input.value = select.value ? nameOf(select.selectedOptions[0]) : "";
    });
    select.dispatchEvent(new Event("picker:refresh"));
  }

  // The procedure's usual approach fills an empty approach field.
  function linkApproach(form) {
    const primary = form.querySelector("#primary_procedure_id");
    const approach = form.querySelector("#approach");
    if (!primary || !approach) return;
    primary.addEventListener("change", () => {
      const option = primary.selectedOptions[0];
      if (option && option.dataset.approach && !approach.value) approach.value = option.dataset.approach;
    });
  }

  document.querySelectorAll("select#primary_procedure_id, select#additional_procedure_ids")
    .forEach(enhance);
  document.querySelectorAll("form.case-form").forEach(linkApproach);
})();
