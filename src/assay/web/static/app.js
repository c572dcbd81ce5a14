// Selecting a highlighted quote marks it and shows its fact cards in the side panel.
// Without this script the links still work: each mark links to its card (#fact-ID, styled by :target).
"use strict";
document.addEventListener("click", function (event) {
  var mark = event.target.closest ? event.target.closest("mark[data-fact-id]") : null;
  if (!mark) { return; }
  event.preventDefault();
  document.querySelectorAll("mark.selected, .fact-card.selected").forEach(function (el) {
    el.classList.remove("selected");
  });
  mark.classList.add("selected");
  var first = null;
  (mark.getAttribute("data-fact-ids") || "").split(" ").forEach(function (id) {
    var card = document.getElementById("fact-" + id);
    if (card) {
      card.classList.add("selected");
      first = first || card;
    }
  });
  if (first) {
    first.scrollIntoView({ block: "nearest", behavior: "smooth" });
    history.replaceState(null, "", "#fact-" + mark.getAttribute("data-fact-id"));
  }
});
