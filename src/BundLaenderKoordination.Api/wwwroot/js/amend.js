// The amendment form starts with the current wording of the chosen paragraph, so that a delegate changes words instead
// of retyping the paragraph. Choosing another paragraph (or "reword" again) puts that paragraph's wording in the field,
// unless the delegate has already written something of their own there; inserting or deleting starts empty. Listens on
// the document, so that it keeps working after a live update has swapped the page's content.
(function () {
  "use strict";
  document.addEventListener("change", function (e) {
    var changed = e.target;
    if (!changed || (changed.id !== "amend-paragraph" && changed.id !== "amend-kind") || !changed.form) return;
    var form = changed.form;
    var text = form.querySelector("#amend-text");
    var paragraph = form.querySelector("#amend-paragraph");
    var kind = form.querySelector("#amend-kind");
    if (!text || !paragraph || !kind) return;
    var prefilled = text.hasAttribute("data-prefilled") ? text.getAttribute("data-prefilled") : text.defaultValue;
    if (text.value !== prefilled && text.value.trim() !== "") return;
    var option = paragraph.options[paragraph.selectedIndex];
    var next = kind.value === "replace" && option ? option.getAttribute("data-text") || "" : "";
    text.value = next;
    text.setAttribute("data-prefilled", next);
  });
})();
