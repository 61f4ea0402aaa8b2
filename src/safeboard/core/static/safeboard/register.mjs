// Registers (core/registers.py): "mark everyone" ticks every unmarked row at once, and a row's extra
// field (who came as deputy) appears only when the status that needs it is chosen. Without this
// script the button asks the server to do the same and every extra field stays on show.
export function initRegisters(root = document) {
  for (const register of root.querySelectorAll("[data-sb-register]")) {
    const revealValue = register.dataset.revealValue;
    const rows = [...register.querySelectorAll("[data-sb-register-row]")];

    const update = (row) => {
      const cell = row.querySelector("[data-sb-reveal]");
      if (!cell || !revealValue) return;
      const chosen = row.querySelector("input[type=radio]:checked");
      const show = chosen !== null && chosen.value === revealValue;
      for (const child of cell.children) child.hidden = !show;
    };

    for (const row of rows) {
      update(row);
      row.addEventListener("change", () => update(row));
    }

    const markAll = register.querySelector("[data-sb-mark-all]");
    if (markAll) {
      markAll.addEventListener("click", (event) => {
        event.preventDefault();
        const value = markAll.dataset.sbMarkAll;
        for (const row of rows) {
          if (row.querySelector("input[type=radio]:checked")) continue;
          const radio = row.querySelector(`input[type=radio][value="${CSS.escape(value)}"]`);
          if (radio) radio.checked = true;
          update(row);
        }
      });
    }
  }
}
