// The answer to the form a person sent (a notice, or a refusal) stands next to that form; the page moves the focus to
// it, so that it is in view and a screen reader reads it, instead of leaving the focus at the top of a long page.
(function () {
  "use strict";
  var box = document.querySelector("[data-feedback]");
  if (!box) return;
  box.setAttribute("tabindex", "-1");
  box.focus({ preventScroll: true });
  box.scrollIntoView({ block: "center" });
})();
