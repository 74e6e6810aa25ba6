// The replay slider: moving it (mouse, touch or arrow keys) reads the page for that step and swaps in the state as it
// was then, and keeps the address in step so that it can be shared. Without JavaScript the form's button does the same.
(function () {
  "use strict";
  var slider = document.getElementById("step");
  var output = document.getElementById("step-output");
  if (!slider) return;
  var timer = null;
  var requested = 0;

  function show(step) {
    var url = slider.dataset.replay + "?v=" + step;
    var ticket = ++requested;
    fetch(url, { headers: { "Accept": "text/html" }, credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
      .then(function (html) {
        if (ticket !== requested) return; // a later move wins
        var doc = new DOMParser().parseFromString(html, "text/html");
        var fresh = doc.getElementById("replay-state");
        var current = document.getElementById("replay-state");
        var freshSlider = doc.getElementById("step");
        var freshOutput = doc.getElementById("step-output");
        var timeline = doc.querySelector("ol.timeline");
        if (fresh && current) current.replaceWith(document.importNode(fresh, true));
        if (freshSlider) slider.setAttribute("aria-valuetext", freshSlider.getAttribute("aria-valuetext"));
        if (freshOutput && output) output.textContent = freshOutput.textContent;
        var oldTimeline = document.querySelector("ol.timeline");
        if (timeline && oldTimeline) oldTimeline.replaceWith(document.importNode(timeline, true));
        history.replaceState(null, "", url + window.location.hash);
      })
      .catch(function () { /* the next move tries again */ });
  }

  slider.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { show(slider.value); }, 120);
  });
})();
