// Live updates of a resolution page: the page listens to the resolution's event stream and, when someone else
// changes something, reads the page again and swaps in the new content. While the reader is writing (an open form,
// a changed field), nothing is swapped: the page says that a new version exists and offers to load it, so no draft is
// ever overwritten. Submitting an old draft is refused by the service and the page then shows the new version.
(function () {
  "use strict";
  var root = document.getElementById("resolution");
  if (!root || !window.EventSource) return;
  var lang = document.documentElement.lang === "en" ? "en" : "de";
  var texts = {
    de: { updated: "Aktualisiert: ", newer: "Neue Version verfügbar: ", load: "Neue Version anzeigen" },
    en: { updated: "Updated: ", newer: "A new version is available: ", load: "Show the new version" }
  };
  var t = texts[lang];
  var pending = null;
  var busy = false;
  var lastLabel = "";

  function current() { return document.getElementById("resolution"); }

  function writing(el) {
    if (el.querySelector("details[open]")) return true;
    var fields = el.querySelectorAll("textarea, input, select");
    for (var i = 0; i < fields.length; i++) {
      var f = fields[i];
      if (f.tagName === "SELECT") { if (!f.options[f.selectedIndex] || !f.options[f.selectedIndex].defaultSelected && f.selectedIndex > 0) return true; continue; }
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
    busy = true;
    pending = false;
    fetch(window.location.pathname, { headers: { "Accept": "text/html", "X-Live-Refresh": "1" }, credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        var fresh = doc.getElementById("resolution");
        var el = current();
        if (!fresh || !el) return;
        if (fresh.dataset.version === el.dataset.version) return;
        if (writing(el)) {
          status(t.newer + lastLabel, true);
          return;
        }
        // The answer to the reader's own last action (a notice or a refusal, [data-notice]) was shown once and is gone
        // from the server's side; a later update of others must not take it off the screen. It goes back to where it
        // stood, next to the form that was sent (the marker [data-feedback-at] before it), with the focus if it had it.
        var own = Array.prototype.slice.call(el.querySelectorAll("[data-notice]")).map(function (notice) {
          var marker = notice.previousElementSibling;
          while (marker && !marker.hasAttribute("data-feedback-at")) marker = marker.previousElementSibling;
          return { notice: notice, at: marker ? marker.getAttribute("data-feedback-at") : null };
        });
        var focused = document.activeElement;
        var next = document.importNode(fresh, true);
        el.replaceWith(next);
        var top = next.querySelector("#live-status");
        if (own.length && !next.querySelector("[data-notice]")) {
          for (var i = own.length - 1; i >= 0; i--) {
            var place = own[i].at && next.querySelector('[data-feedback-at="' + own[i].at.replace(/["\\]/g, "") + '"]');
            if (place) place.after(own[i].notice);
            else if (top) top.after(own[i].notice);
          }
          if (focused && own.some(function (o) { return o.notice === focused; })) focused.focus({ preventScroll: true });
        }
        status(t.updated + lastLabel, false);
      })
      .catch(function () { /* the next event tries again */ })
      .finally(function () { busy = false; if (pending) refresh(); });
  }

  // A burst of events (a ballot closing, many amendments decided) makes one reading of the page, not one per event:
  // the page is read once things have been quiet for a moment (with a little jitter, so that the open browsers do not
  // all ask at the same instant), and at the latest two seconds after the first event of the burst.
  var quietMs = 400, jitterMs = 300, maxWaitMs = 2000;
  var timer = null, burstStart = 0;
  function schedule() {
    var now = Date.now();
    if (timer === null) burstStart = now;
    else clearTimeout(timer);
    var wait = Math.min(quietMs + Math.random() * jitterMs, Math.max(0, burstStart + maxWaitMs - now));
    timer = setTimeout(function () { timer = null; refresh(); }, wait);
  }

  var source = new EventSource(root.dataset.live);
  source.addEventListener("timeline", function (e) {
    try { lastLabel = JSON.parse(e.data).text || ""; } catch (_) { lastLabel = ""; }
    schedule();
  });
})();
