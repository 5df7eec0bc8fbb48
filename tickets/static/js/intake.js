// Intake and edit form: dependent choices and keyboard comforts. No inline code (CSP).
// The server renders correct choices on every page load; this only keeps them in step
// while the operator changes the state or the requester type.
(function () {
  "use strict";

  const form = document.getElementById("ticket-form");
  if (!form || !form.dataset.optionsUrl) {
    return;
  }
  const field = (name) => form.elements.namedItem(name);
  const type = field("requester_type");
  const state = field("state_id");
  const organization = field("organization_id");
  const district = field("district_id");
  const office = field("office_id");
  const process = field("process_id");
  const status = document.getElementById("options-status");
  const cache = new Map();
  let organizationsById = new Map();
  let latest = 0;

  // Replace a select's options, keeping its blank first option (its text comes from the
  // server, in Spanish) and the current choice when it is still offered.
  function fill(select, items) {
    const current = select.value;
    const blank = select.options.length && select.options[0].value === ""
      ? select.options[0].text
      : "";
    select.replaceChildren(new Option(blank, ""));
    for (const item of items) {
      select.add(new Option(item.label, String(item.id)));
    }
    select.value = items.some((item) => String(item.id) === current) ? current : "";
  }

  async function optionsFor(stateId) {
    if (!cache.has(stateId)) {
      const url = new URL(form.dataset.optionsUrl, window.location.href);
      if (stateId) {
        url.searchParams.set("state_id", stateId);
      }
      const request = fetch(url, {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      }).then((response) => {
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        return response.json();
      });
      cache.set(stateId, request);
      request.catch(() => cache.delete(stateId));
    }
    return cache.get(stateId);
  }

  async function refresh() {
    const mine = ++latest;
    let data;
    try {
      data = await optionsFor(state.value);
    } catch (error) {
      status.textContent = form.dataset.errorMessage;
      return;
    }
    if (mine !== latest) {
      return; // a later change already asked for newer options
    }
    status.textContent = "";
    const organizations = data.organizations.filter((o) => o.kind === type.value);
    organizationsById = new Map(organizations.map((o) => [String(o.id), o]));
    fill(organization, organizations);
    fill(district, data.districts);
    fill(office, data.offices);
    fill(process, data.processes);
  }

  // Choosing a Junta fills its district and makes it the office: one choice instead of three.
  function followOrganization() {
    const chosen = organizationsById.get(organization.value);
    if (!chosen || chosen.kind !== "junta") {
      return;
    }
    if (chosen.district_id) {
      district.value = String(chosen.district_id);
    }
    if ([...office.options].some((option) => option.value === organization.value)) {
      office.value = organization.value;
    }
  }

  state.addEventListener("change", refresh);
  type.addEventListener("change", refresh);
  organization.addEventListener("change", followOrganization);

  // Ctrl+Enter (⌘+Enter) sends the form from anywhere, including the description.
  form.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      form.requestSubmit();
    }
  });

  // After a refused submission, start where the first problem is.
  const firstInvalid = form.querySelector(".is-invalid");
  if (firstInvalid) {
    firstInvalid.focus();
  }

  // Learn the organisations already on the page (for followOrganization) without changing
  // what the server rendered.
  optionsFor(state.value)
    .then((data) => {
      if (latest === 0) {
        const organizations = data.organizations.filter((o) => o.kind === type.value);
        organizationsById = new Map(organizations.map((o) => [String(o.id), o]));
      }
    })
    .catch(() => {});
})();
