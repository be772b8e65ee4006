// The review desk, a little quicker with JavaScript (everything also works without it):
// a card shows its words in the text; a suggested unit is taken into the select without
// sending the form; the bulk bar counts the ticked cards.
(function () {
  "use strict";
  var doc = document.querySelector(".desk .doc");
  if (!doc) return;
  var marks = Array.prototype.slice.call(doc.querySelectorAll("mark[data-items]"));
  var side = window.matchMedia("(min-width: 64rem)");  // text beside the cards (see app.css)

  function ids(el) {
    return (el.getAttribute("data-items") || "").split(" ").filter(Boolean);
  }

  function showCard(card, scroll) {
    var wanted = ids(card), first = null;
    document.querySelectorAll(".proposal.is-current").forEach(function (c) { c.classList.remove("is-current"); });
    card.classList.add("is-current");
    marks.forEach(function (m) {
      var on = ids(m).some(function (i) { return wanted.indexOf(i) >= 0; });
      m.classList.toggle("is-current", on);
      if (on && !first) first = m;
    });
    if (first && scroll && side.matches) {
      var box = doc.closest(".desk-text");
      var top = first.getBoundingClientRect().top - box.getBoundingClientRect().top;
      if (top < 40 || top > box.clientHeight - 40) {
        box.scrollTo({ top: box.scrollTop + top - box.clientHeight / 3, behavior: "smooth" });
      }
    }
  }

  document.querySelectorAll(".proposal[data-items]").forEach(function (card) {
    card.addEventListener("click", function () { showCard(card, true); });
    card.addEventListener("focusin", function () { showCard(card, true); });
  });

  // a click in the text brings its card
  marks.forEach(function (m) {
    m.addEventListener("click", function () {
      var mine = ids(m);
      var card = Array.prototype.find.call(document.querySelectorAll(".proposal[data-items]"), function (c) {
        return ids(c).some(function (i) { return mine.indexOf(i) >= 0; });
      });
      if (card) {
        showCard(card, false);
        card.scrollIntoView({ behavior: "smooth", block: "start" });
      }
    });
  });

  // "In the text": highlight and scroll the text box, not the page
  document.querySelectorAll(".proposal a.to-text").forEach(function (a) {
    a.addEventListener("click", function (e) {
      if (!side.matches) return;  // one column: the plain link jumps to the words
      e.preventDefault();
      showCard(a.closest(".proposal"), true);
    });
  });

  // a suggested unit: one click puts it in the lead-unit select (the form is sent by a decision)
  document.querySelectorAll("button.suggestion[data-select]").forEach(function (b) {
    b.addEventListener("click", function (e) {
      var select = document.getElementById(b.getAttribute("data-select"));
      if (!select) return;  // no select: let the button send the form
      e.preventDefault();
      select.value = b.value;
      select.dispatchEvent(new Event("change", { bubbles: true }));
    });
  });
  document.querySelectorAll(".proposal select[name$='-lead_unit']").forEach(function (select) {
    function mark() {
      var box = select.closest(".lead-box");
      box.querySelectorAll("button.suggestion").forEach(function (b) {
        var on = b.value === select.value;
        b.classList.toggle("chosen", on);
        b.setAttribute("aria-pressed", on ? "true" : "false");
      });
    }
    select.addEventListener("change", mark);
  });

  // the bulk bar: how many are ticked
  var bulk = document.getElementById("bulk");
  if (bulk) {
    var label = bulk.querySelector(".bulk-count");
    var boxes = document.querySelectorAll("#desk input[name='selected']");
    var update = function () {
      var n = Array.prototype.filter.call(boxes, function (b) { return b.checked; }).length;
      label.textContent = n ? label.getAttribute("data-some").replace("__N__", n) : label.getAttribute("data-none");
      bulk.classList.toggle("has-selection", n > 0);
      var card;
      boxes.forEach(function (b) {
        card = b.closest(".proposal");
        if (card) card.classList.toggle("is-ticked", b.checked);
      });
    };
    boxes.forEach(function (b) { b.addEventListener("change", update); });
    update();
  }
})();
