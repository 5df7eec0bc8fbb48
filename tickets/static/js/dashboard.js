// Supervisor dashboard: fetch the panels every few seconds and swap them in place, without a
// page reload. No inline code (CSP). The server renders the whole page, so without this script
// the board still shows and "Actualizar ahora" reloads it. A failed refresh keeps the last
// panels on screen and says so; the next attempt comes at the usual interval.
(function () {
  "use strict";

  const board = document.getElementById("tablero");
  if (!board || !board.dataset.panelUrl) {
    return;
  }
  const warning = document.getElementById("tablero-aviso");
  const seconds = Math.max(1, Number(board.dataset.refreshSeconds) || 30);
  const clock = new Intl.DateTimeFormat("es-MX", {
    timeZone: "America/Mexico_City",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  });

  for (const element of board.querySelectorAll("[data-js-only]")) {
    element.classList.remove("d-none");
  }

  function current() {
    return document.getElementById("tablero-paneles");
  }

  function warn(text) {
    warning.textContent = text;
    warning.classList.remove("d-none");
  }

  function failed(sessionEnded) {
    if (sessionEnded) {
      warn(board.dataset.sessionMessage);
      return;
    }
    const shown = current() ? current().dataset.updated : "";
    warn(
      board.dataset.errorMessage
        .replace("{hora}", clock.format(new Date()))
        .replace("{datos}", shown)
        .replace("{segundos}", String(seconds)),
    );
  }

  async function refresh() {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), Math.max(seconds, 10) * 1000);
    try {
      const response = await fetch(board.dataset.panelUrl, {
        credentials: "same-origin",
        cache: "no-store",
        headers: { Accept: "text/html" },
        signal: controller.signal,
      });
      // An ended session is redirected to the login page: that is not a board.
      if (response.redirected || response.status === 401 || response.status === 403) {
        failed(true);
        return;
      }
      if (!response.ok) {
        throw new Error(String(response.status));
      }
      const holder = document.createElement("template");
      holder.innerHTML = await response.text();
      const fresh = holder.content.getElementById("tablero-paneles");
      if (!fresh || !current()) {
        throw new Error("sin paneles");
      }
      current().replaceWith(fresh);
      warning.classList.add("d-none");
      warning.textContent = "";
    } catch (error) {
      failed(false);
    } finally {
      clearTimeout(timer);
      setTimeout(refresh, seconds * 1000); // never two requests at once on a slow network
    }
  }

  setTimeout(refresh, seconds * 1000);
})();
