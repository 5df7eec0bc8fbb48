// Training form: keep the office choices in step with the chosen state. No inline code (CSP).
// The server renders the right offices on every page load and behind the "Mostrar las
// oficinas de la entidad" button, so the form works without this script too.
(function () {
  "use strict";

  const form = document.getElementById("training-form");
  if (!form || !form.dataset.officesUrl) {
    return;
  }
  const state = form.elements.namedItem("state_id");
  const office = form.elements.namedItem("office_id");
  const status = document.getElementById("offices-status");
  const refresh = document.getElementById("refresh-offices");
  let latest = 0;

  if (refresh) {
    refresh.classList.add("d-none"); // the script does its job
  }

  // Replace the office options, keeping the blank first option (its Spanish text comes from
  // the server) and the current choice when the new state still offers it.
  function fill(items) {
    const current = office.value;
    const blank = office.options.length && office.options[0].value === ""
      ? office.options[0].text
      : "";
    office.replaceChildren(new Option(blank, ""));
    for (const item of items) {
      office.add(new Option(item.label, String(item.id)));
    }
    office.value = items.some((item) => String(item.id) === current) ? current : "";
  }

  async function update() {
    const mine = ++latest;
    const url = new URL(form.dataset.officesUrl, window.location.href);
    if (state.value) {
      url.searchParams.set("state_id", state.value);
    }
    let items;
    try {
      const response = await fetch(url, {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      });
      if (!response.ok) {
        throw new Error(String(response.status));
      }
      items = await response.json();
    } catch (error) {
      status.textContent = form.dataset.errorMessage;
      if (refresh) {
        refresh.classList.remove("d-none");
      }
      return;
    }
    if (mine !== latest) {
      return; // a later change already asked for newer offices
    }
    status.textContent = "";
    fill(items);
  }

  state.addEventListener("change", update);

  // After a refused submission, start where the first problem is.
  const firstInvalid = form.querySelector(".is-invalid");
  if (firstInvalid) {
    firstInvalid.focus();
  }
})();
