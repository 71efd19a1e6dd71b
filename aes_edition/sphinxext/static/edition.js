/* Previews and the paragraph-link box (below).

   A paragraph number (a.para-num, "¶N") offers the paragraph's address to copy: hovering or
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
      var instance = window.tippy(link, {
        content: function () { return copyBox(link); },
        interactive: true,
        appendTo: holder,
        trigger: "mouseenter focus",
        placement: "bottom-start",
        maxWidth: 420,
        theme: "para-link",
      });
      // Leaving the box from the keyboard (Tab past "Copy link", Shift+Tab before the
      // number) closes it, as moving the pointer away does.
      [link, holder].forEach(function (element) {
        element.addEventListener("focusout", function (event) {
          var next = event.relatedTarget;
          if (!next || !(link.contains(next) || holder.contains(next))) {
            instance.hide();
          }
        });
      });
    });
    document.querySelectorAll("a.emend-mark").forEach(emendationPreview);
  });

  /* An emendation's mark ("e", which links to its row of the apparatus) previews the change:
     the printed reading, the kind of change and the editors' note, on hover, on keyboard
     focus and on touch, from the data the page carries on the emendation. */
  function emendationPreview(mark) {
    var span = mark.closest("span.emendation");
    if (!span || mark._tippy) {
      return;
    }
    var box = document.createElement("div");
    var head = document.createElement("p");
    var label = document.createElement("strong");
    label.textContent = "Editors, " + span.dataset.key + ": ";
    head.append(label, span.dataset.printed
      ? "printed “" + span.dataset.printed + "” (" + span.dataset.kind + ")."
      : "not in the source (" + span.dataset.kind + ").");
    box.append(head);
    if (span.dataset.note) {
      var note = document.createElement("p");
      note.textContent = span.dataset.note;
      box.append(note);
    }
    window.tippy(mark, {content: box, theme: "edition", maxWidth: 420, placement: "auto-start"});
  }

  /* Previews for everyone. Every preview (sphinx-tippy's, the emendations' and the
     paragraph-link box) opens on hover and on keyboard focus, stays open while the pointer
     is over it (so it can be read and its links followed), and closes on Escape. On a touch
     screen the first tap on a link with a preview opens the preview, and a second tap
     follows the link. */
  document.addEventListener("DOMContentLoaded", function () {
    if (typeof window.tippy !== "function") {
      return;
    }
    window.tippy.setDefaultProps({
      interactive: true,
      appendTo: function () { return document.body; },
      aria: {content: "describedby", expanded: false},
    });
  });

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && typeof window.tippy === "function") {
      window.tippy.hideAll({duration: 0});
    }
  });

  var previewShown = false;
  document.addEventListener("pointerdown", function (event) {
    var link = event.target.closest && event.target.closest("a");
    previewShown = Boolean(link && link._tippy && link._tippy.state.isShown);
  }, true);
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a");
    if (!link || !link._tippy || link.classList.contains("para-num")) {
      return;
    }
    var touch = event.pointerType === "touch" || (window.matchMedia && window.matchMedia("(hover: none)").matches);
    if (touch && !previewShown) {
      event.preventDefault();
      link._tippy.show();
      previewShown = true;
    }
  }, true);

  /* The reading mode: the paper alone, or the paper with the editors' notes. The button
     (templates/reading-mode.html) is a toggle; the choice is kept in localStorage, so every
     page opens in the mode the reader chose last. A note the address points to (#note-…)
     is shown even in the paper-alone mode. */
  var READING = "aes-edition-reading";

  function setReading(paperOnly, button) {
    if (paperOnly) {
      document.documentElement.dataset.reading = "paper";
    } else {
      delete document.documentElement.dataset.reading;
    }
    if (button) {
      button.setAttribute("aria-pressed", paperOnly ? "false" : "true");
    }
    try {
      if (paperOnly) { localStorage.setItem(READING, "paper"); } else { localStorage.removeItem(READING); }
    } catch (error) { /* storage refused (private mode): the choice holds for this page */ }
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("button.reading-mode").forEach(function (button) {
      button.setAttribute("aria-pressed", document.documentElement.dataset.reading === "paper" ? "false" : "true");
      button.addEventListener("click", function () {
        setReading(button.getAttribute("aria-pressed") === "true", button);
      });
    });
  });

  /* Search results (the search page): each result's excerpt is the text around the match in
     the page's own text, so the editors' lists of places under the paragraphs ("Discussed
     in …", and the timeline's lists of notes), the hidden names of the marks and the paragraph numbers are taken out before
     Sphinx's search (searchtools.js) looks for the words. Sphinx 7.4 reads a page's text
     through Search.htmlToText; if a later Sphinx has no such function, the excerpts keep
     working as Sphinx writes them (tests/test_browser.py checks the excerpts). */
  /* global Search */  // searchtools.js declares it with const: a global binding, not on window
  if (typeof Search !== "undefined" && typeof Search.htmlToText === "function" && !Search.htmlToText.edition) {
    var pageText = Search.htmlToText;
    var withoutFurniture = function (htmlString, anchor) {
      var page = new DOMParser().parseFromString(htmlString, "text/html");
      page.querySelectorAll("p.backlinks, p.timeline-mentions, .visually-hidden, a.para-num, a.emend-mark").forEach(
        function (element) { element.remove(); });
      return pageText(page.documentElement.outerHTML, anchor);
    };
    withoutFurniture.edition = true;
    Search.htmlToText = withoutFurniture;
  }
})();

