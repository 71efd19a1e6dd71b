/* A paragraph number (a.para-num, "¶N") offers the paragraph's address to copy: hovering or
   focusing it opens a small box with the full address and a "Copy link" button. The address is
   the published one (the page's canonical address, derived from repository.url in _config.yml,
   followed by # and the paragraph's id), wherever the page is read: a copy opened from disk or
   a local server still gives readers the address others can follow. The box is
   put right after the number, so a keyboard user tabs from the number into the box.
   It uses tippy.js, which the page already loads for the hover previews; pages without
   tippy.js (the search page, the index) have no paragraph numbers. */
(function () {
  "use strict";

  function published(href) {
    var canonical = document.querySelector('link[rel="canonical"]');
    var base = canonical ? canonical.href : window.location.href;
    return new URL(href, base).href;
  }

  function copyBox(link) {
    var url = published(link.getAttribute("href"));
    var number = link.textContent.replace("¶", "");
    var box = document.createElement("div");
    box.className = "para-link-box";

    var label = document.createElement("label");
    var field = document.createElement("input");
    var fieldId = "para-link-" + link.getAttribute("href").slice(1);
    label.textContent = "Link to paragraph " + number;
    label.htmlFor = fieldId;
    field.id = fieldId;
    field.type = "text";
    field.readOnly = true;
    field.value = url;
    field.addEventListener("focus", function () { field.select(); });

    var button = document.createElement("button");
    var status = document.createElement("span");
    button.type = "button";
    button.textContent = "Copy link";
    status.className = "para-link-status";
    status.setAttribute("role", "status");
    button.addEventListener("click", function () {
      var done = function () { status.textContent = "Copied"; };
      var fallback = function () {
        field.focus();
        field.select();
        status.textContent = "Selected: press Ctrl+C (⌘C) to copy";
      };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(url).then(done, fallback);
      } else {
        fallback();
      }
    });

    box.append(label, field, button, status);
    return box;
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (typeof window.tippy !== "function") {
      return;
    }
    document.querySelectorAll("a.para-num").forEach(function (link) {
      // The box goes right after the number, so Tab moves from the number into the box.
      var holder = document.createElement("span");
      holder.className = "para-link-holder";
      link.after(holder);
      window.tippy(link, {
        content: function () { return copyBox(link); },
        interactive: true,
        appendTo: holder,
        trigger: "mouseenter focus",
        placement: "bottom-start",
        maxWidth: 420,
        theme: "para-link",
      });
    });
  });
})();
