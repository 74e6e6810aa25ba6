// Live updates of a resolution page: the page listens to the resolution's event stream and, when someone changes
// something, swaps in only the parts of the page that changed. Every part ([data-part]: the facts, the overview of
// paragraphs, each paragraph with its comments, each panel) carries a signature of what it shows; the page asks the
// server for the current signatures (?handler=Parts, a small JSON answer) and then for the parts whose signature
// differs (?handler=Parts&teile=...), and replaces those. A part in which the reader is writing (an open form, a
// changed field, the focus in a field) is not swapped: the page says that a new version exists and offers to load it,
// so no draft is ever overwritten. When paragraphs come or go, the page is read again as a whole.
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

  // Controls of the page itself (the comment filter) are no writing.
  function own(field) { return field.name === "comment-filter"; }

  function writing(el) {
    if (el.querySelector("details.edit[open]")) return true;
    var fields = el.querySelectorAll("textarea, input, select");
    for (var i = 0; i < fields.length; i++) {
      var f = fields[i];
      if (own(f)) continue;
      if (f.tagName === "SELECT") { if (!f.options[f.selectedIndex] || !f.options[f.selectedIndex].defaultSelected && f.selectedIndex > 0) return true; continue; }
      if (f.type === "radio" || f.type === "checkbox") { if (f.checked !== f.defaultChecked) return true; continue; }
      if (f.type !== "hidden" && f.value !== f.defaultValue) return true;
    }
    var active = document.activeElement;
    return !!(active && el.contains(active) && active.matches("textarea, input, select") && !own(active));
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

  function comments() { if (window.blkComments) window.blkComments.apply(); }

  // The answer to the reader's own last action (a notice or a refusal, [data-notice]) was shown once and is gone from
  // the server's side; a later update of others must not take it off the screen. It goes back to where it stood, next
  // to the form that was sent (the marker [data-feedback-at] before it), with the focus if it had it.
  function notices(el) {
    return Array.prototype.slice.call(el.querySelectorAll("[data-notice]")).map(function (notice) {
      var marker = notice.previousElementSibling;
      while (marker && !marker.hasAttribute("data-feedback-at")) marker = marker.previousElementSibling;
      return { notice: notice, at: marker ? marker.getAttribute("data-feedback-at") : null };
    });
  }

  function restore(saved, next, focused, fallback) {
    if (!saved.length || next.querySelector("[data-notice]")) return;
    for (var i = saved.length - 1; i >= 0; i--) {
      var place = saved[i].at && next.querySelector('[data-feedback-at="' + saved[i].at.replace(/["\\]/g, "") + '"]');
      if (place) place.after(saved[i].notice);
      else if (fallback) fallback.after(saved[i].notice);
    }
    if (focused && saved.some(function (o) { return o.notice === focused; })) focused.focus({ preventScroll: true });
  }

  function get(url, accept) {
    return fetch(url, { headers: { "Accept": accept, "X-Live-Refresh": "1" }, credentials: "same-origin" })
      .then(function (r) { return r.ok ? r : Promise.reject(r.status); });
  }

  function partsUrl(el, parts) {
    var url = el.dataset.parts;
    var page = new URLSearchParams(window.location.search).get("antraege");
    if (page) url += "&antraege=" + encodeURIComponent(page);
    if (parts) url += "&teile=" + encodeURIComponent(parts.join(","));
    return url;
  }

  // The whole page, read again: when paragraphs were inserted or deleted.
  function whole() {
    return get(window.location.pathname + window.location.search, "text/html")
      .then(function (r) { return r.text(); })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        var fresh = doc.getElementById("resolution");
        var el = current();
        if (!fresh || !el) return;
        if (fresh.dataset.version === el.dataset.version) return;
        if (writing(el)) { status(t.newer + lastLabel, true); return; }
        var saved = notices(el);
        var focused = document.activeElement;
        var next = document.importNode(fresh, true);
        el.replaceWith(next);
        restore(saved, next, focused, next.querySelector("#live-status"));
        comments();
        status(t.updated + lastLabel, false);
      });
  }

  function parts() {
    var el = current();
    return get(partsUrl(el, null), "application/json")
      .then(function (r) { return r.json(); })
      .then(function (now) {
        el = current();
        if (!el) return null;
        var shown = Array.prototype.map.call(el.querySelectorAll("[data-part]"), function (p) { return p; });
        var ids = shown.map(function (p) { return p.id; });
        var paragraphs = Array.prototype.map.call(el.querySelectorAll("article[data-paragraph]"), function (a) { return a.id; });
        var known = Object.keys(now.parts);
        // Paragraphs inserted, deleted or moved, a panel come or gone: the page is read as a whole.
        if (paragraphs.join(",") !== now.paragraphs.join(",") || known.length !== ids.length
            || known.some(function (id) { return ids.indexOf(id) < 0; })) return whole();
        var changed = shown.filter(function (p) { return now.parts[p.id] !== p.dataset.sig; }).map(function (p) { return p.id; });
        if (!changed.length && String(now.version) === el.dataset.version) return null;
        ["facts", "adoption"].forEach(function (id) { if (changed.indexOf(id) < 0) changed.push(id); });
        return get(partsUrl(el, changed), "text/html")
          .then(function (r) { return r.text(); })
          .then(function (html) { swap(html, now); });
      });
  }

  function swap(html, now) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    var fresh = doc.getElementById("resolution");
    var el = current();
    if (!fresh || !el) return;
    var sameText = fresh.dataset.textVersion === el.dataset.textVersion;
    // The parts were rendered at a later version than the signatures compared (someone changed something in between):
    // the parts not asked for may be behind as well, so the page asks again right after this round.
    var behind = fresh.dataset.version !== String(now.version);
    if (behind) pending = true;
    var held = [];
    var focused = document.activeElement;
    Array.prototype.forEach.call(fresh.querySelectorAll("[data-part]"), function (part) {
      var old = document.getElementById(part.id);
      if (!old) return;
      if (writing(old)) { held.push(old); return; }
      var saved = notices(old);
      // A paragraph's comments the reader folded stay folded.
      var folded = old.querySelector("details.comments-box:not([open])");
      var next = document.importNode(part, true);
      if (folded) { var box = next.querySelector("details.comments-box"); if (box) box.open = false; }
      var focusId = focused && old.contains(focused) ? focused.id : null;
      old.replaceWith(next);
      restore(saved, next, focused, null);
      if (focusId) { var again = document.getElementById(focusId); if (again) again.focus({ preventScroll: true }); }
    });
    // The stream version the forms name: new in the parts swapped in; in the others it is set here, so that an edit
    // after a comment of someone else is not refused. A form the reader is writing in keeps its version when the text
    // itself changed: the service then refuses the stale draft and the page says so.
    Array.prototype.forEach.call(el.querySelectorAll('input[type="hidden"][name="expectedVersion"]'), function (input) {
      var part = input.closest("[data-part]");
      if (!behind && (sameText || !part || !writing(part))) input.value = fresh.dataset.version;
    });
    if (!behind) el.dataset.version = fresh.dataset.version;
    if (!behind) el.dataset.textVersion = fresh.dataset.textVersion;
    comments();
    // A draft written against a text that has changed since is worth a notice, wherever on the page it is.
    var newer = held.length > 0 || (!sameText && writing(el));
    status((newer ? t.newer : t.updated) + lastLabel, newer);
  }

  function refresh() {
    if (busy) { pending = true; return; }
    busy = true;
    pending = false;
    parts()
      .catch(function (e) { console.warn("live update", e); /* the next event tries again */ })
      .finally(function () { busy = false; if (pending) refresh(); });
  }

  // A burst of events (a ballot closing, many amendments decided) makes one reading, not one per event: the page asks
  // once things have been quiet for a moment (with a little jitter, so that the open browsers do not all ask at the
  // same instant), and at the latest two seconds after the first event of the burst.
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
