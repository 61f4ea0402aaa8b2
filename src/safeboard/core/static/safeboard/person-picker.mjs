// The person picker (core/forms/widgets/person_picker.html, safeboard/core/people.py) as an
// accessible autocomplete. Without JavaScript the page keeps its select (and, for many people, a
// search box that works when the form is sent); with it, the person types a name, agency or email
// and chooses from the people the server finds (core:people-search, JSON), each shown with their
// agency and role. The select stays in the form and carries the choice.

const escapeHtml = (text) =>
  String(text).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);

function enhance(picker) {
  const autocomplete = window.accessibleAutocomplete;
  const select = picker.querySelector("select");
  if (!autocomplete || !select || picker.dataset.enhanced) return;
  picker.dataset.enhanced = "true";

  const id = select.id;
  const chosenLabel = () => (select.selectedIndex > 0 ? select.options[select.selectedIndex].text : "");
  const describedBy = select.getAttribute("aria-describedby");
  select.id = `${id}-select`;
  select.hidden = true;
  select.tabIndex = -1;
  select.setAttribute("aria-hidden", "true");
  const search = picker.querySelector(".sb-person-picker__search");
  if (search) {
    search.hidden = true;
    for (const box of search.querySelectorAll("input")) box.disabled = true;
  }

  const container = document.createElement("div");
  container.className = "sb-person-picker__autocomplete";
  picker.insertBefore(container, select);

  autocomplete({
    element: container,
    id,
    name: `${select.name}-search`,
    defaultValue: chosenLabel(),
    minLength: 2,
    displayMenu: "overlay",
    showNoOptionsFound: true,
    tNoResults: () => "No one found",
    tStatusQueryTooShort: (n) => `Type ${n} or more letters to find people`,
    source: (query, populate) => {
      const url = `${picker.dataset.searchUrl}&q=${encodeURIComponent(query)}`;
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then((response) => (response.ok ? response.json() : { results: [] }))
        .then((data) => populate(data.results))
        .catch(() => populate([]));
    },
    templates: {
      inputValue: (person) => (person ? person.label : ""),
      suggestion: (person) => {
        if (typeof person === "string") return escapeHtml(person);
        const detail = [person.agency, person.role].filter(Boolean).join(", ");
        return `${escapeHtml(person.name)}${detail ? ` <span class="sb-person-picker__detail">${escapeHtml(detail)}</span>` : ""}`;
      },
    },
    onConfirm: (person) => {
      if (!person) return;
      let option = Array.from(select.options).find((o) => o.value === String(person.id));
      if (!option) {
        option = new Option(person.label, String(person.id));
        select.add(option);
      }
      select.value = String(person.id);
    },
  });

  const input = container.querySelector("input");
  if (!input) return;
  if (describedBy) input.setAttribute("aria-describedby", describedBy);
  if (select.classList.contains("govuk-select--error")) input.classList.add("autocomplete__input--error");
  // Typing something else undoes the choice; the text is sent as a search (the no-script search step).
  input.addEventListener("input", () => {
    if (input.value.trim() !== chosenLabel()) select.value = "";
  });
}

export function initPersonPickers(root = document) {
  for (const picker of root.querySelectorAll('[data-module="sb-person-picker"]')) enhance(picker);
}
