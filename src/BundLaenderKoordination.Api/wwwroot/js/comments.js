// Comments on a long resolution: a filter (all, open, resolved, mine) and collapsing every thread at once. Without
// script the filter stays hidden and every comment shows; each paragraph's comments fold on their own (<details>).
// live.js calls window.blkComments.apply() after it has swapped in new parts, so the chosen filter stays in force.
(function () {
  "use strict";
  var lang = document.documentElement.lang === "en" ? "en" : "de";
  var texts = {
    de: { shown: function (n, all) { return n === all ? (all === 1 ? "1 Kommentar" : all + " Kommentare") : n + " von " + all + " Kommentaren gezeigt"; } },
    en: { shown: function (n, all) { return n === all ? (all === 1 ? "1 comment" : all + " comments") : n + " of " + all + " comments shown"; } }
  };
  var t = texts[lang];
  var chosen = "all";

  function matches(comment) {
    if (chosen === "open") return comment.getAttribute("data-state") === "open";
    if (chosen === "resolved") return comment.getAttribute("data-state") === "resolved";
    if (chosen === "mine") return comment.getAttribute("data-mine") === "true";
    return true;
  }

  function apply() {
    var root = document.getElementById("resolution");
    if (!root) return;
    var panel = document.getElementById("comment-filter");
    var comments = root.querySelectorAll("li.comment");
    if (panel) {
      // Rendered on every page, shown once there is a comment: the first may come by a live update.
      panel.hidden = comments.length === 0;
      var radio = panel.querySelector('input[name="comment-filter"][value="' + chosen + '"]');
      if (radio && !radio.checked) radio.checked = true;
    }
    var shown = 0;
    for (var i = 0; i < comments.length; i++) {
      var visible = matches(comments[i]);
      comments[i].hidden = !visible;
      if (visible) shown++;
    }
    // A paragraph's box of comments is left out when none of its comments matches the filter.
    var boxes = root.querySelectorAll("aside.margin");
    for (var j = 0; j < boxes.length; j++) boxes[j].hidden = !boxes[j].querySelector("li.comment:not([hidden])");
    var count = panel && panel.querySelector("[data-comment-count]");
    if (count) count.textContent = t.shown(shown, comments.length);
  }

  function fold(open) {
    var boxes = document.querySelectorAll("#resolution details.comments-box");
    for (var i = 0; i < boxes.length; i++) boxes[i].open = open;
  }

  document.addEventListener("change", function (e) {
    var target = e.target;
    if (target && target.name === "comment-filter") { chosen = target.value; apply(); }
  });
  document.addEventListener("click", function (e) {
    var button = e.target && e.target.closest ? e.target.closest("button[data-comments]") : null;
    if (!button) return;
    fold(button.getAttribute("data-comments") === "expand");
  });

  window.blkComments = { apply: apply };
  apply();
})();
