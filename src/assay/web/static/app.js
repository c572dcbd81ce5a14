// Selecting a highlighted number marks it and its fact card; links work without this script too.
"use strict";
document.addEventListener("click", function (event) {
  var mark = event.target.closest ? event.target.closest("mark[data-fact-id]") : null;
  if (!mark) { return; }
  document.querySelectorAll("mark.selected, .fact-card.selected").forEach(function (el) {
    el.classList.remove("selected");
  });
  mark.classList.add("selected");
  (mark.getAttribute("data-fact-ids") || "").split(" ").forEach(function (id) {
    var card = document.getElementById("fact-" + id);
    if (card) { card.classList.add("selected"); }
  });
});
