// The “常用语” select beside a text field: choosing a template fills an empty field, or adds the
// template on a new line after what is already typed (never throws text away). Without
// JavaScript the select stays hidden and the field is typed as before.
(function () {
  "use strict";
  document.querySelectorAll("[data-answer-picker]").forEach(function (box) {
    var select = box.querySelector("select");
    var field = document.getElementById(select.getAttribute("data-target"));
    if (!field) return;
    box.hidden = false;
    // a select that follows another (the list's bulk action) offers only that action's templates
    var follow = document.getElementById(select.getAttribute("data-follow") || "");
    if (follow) {
      var offer = function () {
        var any = false;
        Array.prototype.forEach.call(select.options, function (o) {
          if (!o.value) return;
          o.hidden = o.disabled = o.getAttribute("data-purpose") !== follow.value;
          any = any || !o.hidden;
        });
        box.hidden = !any;
      };
      follow.addEventListener("change", offer);
      offer();
    }
    select.addEventListener("change", function () {
      var option = select.options[select.selectedIndex];
      var text = option.getAttribute("data-text");
      if (!text) return;
      var typed = field.value.replace(/\s+$/, "");
      field.value = typed ? typed + "\n" + text : text;
      // a reply template of a class also sets the reply's class
      var cls = option.getAttribute("data-class");
      var classField = document.getElementById(select.getAttribute("data-class-target") || "");
      if (cls && classField) classField.value = cls;
      select.selectedIndex = 0;  // the same template can be chosen again
      field.dispatchEvent(new Event("input", { bubbles: true }));
      field.focus();
    });
  });
})();
