// Live updates of a body's or a session's page: the page listens to the body's event stream (its sessions, requests
// and resolutions) and, when something happens, reads the page again and swaps in the new content. While the reader is
// writing (an open form, a changed field), nothing is swapped: the page says what happened and offers to load it.
(function () {
  "use strict";
  var root = document.getElementById("live-page");
  if (!root || !window.EventSource) return;
  var lang = document.documentElement.lang === "en" ? "en" : "de";
  var t = lang === "en"
    ? { updated: "Updated: ", newer: "Something changed: ", load: "Show it" }
    : { updated: "Aktualisiert: ", newer: "Es gibt Neues: ", load: "Anzeigen" };
  var busy = false, pending = false, lastLabel = "", timer = null;

  function writing(el) {
    if (el.querySelector("details[open]")) return true;
    var fields = el.querySelectorAll("textarea, input, select");
    for (var i = 0; i < fields.length; i++) {
      var f = fields[i];
      if (f.tagName === "SELECT") { if (f.options[f.selectedIndex] && !f.options[f.selectedIndex].defaultSelected && f.selectedIndex > 0) return true; continue; }
      if (f.type === "radio" || f.type === "checkbox") { if (f.checked !== f.defaultChecked) return true; continue; }
      if (f.type !== "hidden" && f.value !== f.defaultValue) return true;
    }
    var active = document.activeElement;
    return !!(active && el.contains(active) && active.matches("textarea, input, select"));
  }

  function status(message, offerReload) {
    var box = document.getElementById("live-status");
    if (!box) return;
    box.textContent = message;
    if (offerReload) {
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = t.load;
      button.addEventListener("click", function () { window.location.reload(); });
      box.appendChild(document.createTextNode(" "));
      box.appendChild(button);
    }
  }

  function refresh() {
    if (busy) { pending = true; return; }
    busy = true; pending = false;
    fetch(window.location.pathname + window.location.search, { headers: { "Accept": "text/html", "X-Live-Refresh": "1" }, credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("live-content");
        var el = document.getElementById("live-content");
        if (!fresh || !el) return;
        if (writing(el)) { status(t.newer + lastLabel, true); return; }
        // The answer to the reader's own last action stays where it was.
        var own = el.querySelectorAll("[data-notice]");
        var next = document.importNode(fresh, true);
        el.replaceWith(next);
        if (own.length && !next.querySelector("[data-notice]")) {
          var first = next.firstElementChild;
          for (var i = own.length - 1; i >= 0; i--) next.insertBefore(own[i], first);
        }
        status(t.updated + lastLabel, false);
      })
      .catch(function () { /* the next event tries again */ })
      .finally(function () { busy = false; if (pending) refresh(); });
  }

  function schedule() {
    if (timer !== null) clearTimeout(timer);
    timer = setTimeout(function () { timer = null; refresh(); }, 400 + Math.random() * 300);
  }

  var source = new EventSource(root.dataset.live);
  source.addEventListener("timeline", function (e) {
    try { lastLabel = JSON.parse(e.data).text || ""; } catch (_) { lastLabel = ""; }
    schedule();
  });
})();
