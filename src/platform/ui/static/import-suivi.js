// Progress of an import (/admin/imports/:id), with JavaScript: the page is fetched again every second
// and only what changed is replaced, so that a screen reader is not sent back to the top of a reloaded
// page. The step is announced when it changes (role="status"); once the import has ended, the result
// replaces the page's content and the focus moves to its heading. Without JavaScript, the page reloads
// itself (meta refresh in <noscript>).
(function () {
  'use strict';
  var suivi = document.querySelector('[data-suivi-import]');
  if (!suivi || !window.fetch || !window.DOMParser) return;

  function copy(selector, from, attribute) {
    var target = document.querySelector(selector);
    var source = from.querySelector(selector);
    if (!target || !source) return;
    if (attribute) {
      ['value', 'max'].forEach(function (name) {
        if (source.hasAttribute(name)) target.setAttribute(name, source.getAttribute(name));
        else target.removeAttribute(name);
      });
    } else if (target.textContent !== source.textContent) {
      target.textContent = source.textContent;
    }
  }

  function next(delay) {
    window.setTimeout(tick, delay);
  }

  function tick() {
    fetch(window.location.href, { credentials: 'same-origin', cache: 'no-store', headers: { Accept: 'text/html' } })
      .then(function (response) {
        return response.text();
      })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, 'text/html');
        if (doc.querySelector('[data-suivi-import]')) {
          copy('[data-phase]', doc);
          copy('[data-pourcentage]', doc);
          copy('#avancement', doc, true);
          next(1000);
          return;
        }
        var main = document.querySelector('main');
        var fresh = doc.querySelector('main');
        if (!main || !fresh) return;
        main.innerHTML = fresh.innerHTML;
        document.title = doc.title;
        var heading = main.querySelector('h1');
        if (heading) {
          heading.setAttribute('tabindex', '-1');
          heading.focus();
        }
      })
      .catch(function () {
        next(3000);
      });
  }

  next(1000);
})();
