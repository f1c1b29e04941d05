/* Reports what keeps the viewer from running: a script or module that fails to load or to parse,
 * and any uncaught error or rejected promise. A classic script that runs before the modules, so
 * that it still speaks when they cannot; it writes into #page-error and <body data-page-error>. */
(function () {
  'use strict';
  function report(message) {
    var box = document.getElementById('page-error');
    var line = document.createElement('div');
    line.textContent = 'The viewer failed: ' + message;
    box.appendChild(line);
    box.hidden = false;
    document.body.setAttribute('data-page-error', message);
  }
  // Captured: a script's load error does not bubble. Tiles that fail (images) are the map's business.
  window.addEventListener('error', function (event) {
    var target = event.target;
    if (target && (target.tagName === 'SCRIPT' || target.tagName === 'LINK')) {
      report('cannot load ' + (target.src || target.href) + (target.type === 'module' ? ' or a module it imports' : ''));
    } else if (event.message) {
      report(event.message + (event.filename ? ' (' + event.filename + ':' + event.lineno + ')' : ''));
    }
  }, true);
  window.addEventListener('unhandledrejection', function (event) {
    var reason = event.reason;
    report(reason && reason.message ? reason.message : String(reason));
  });
})();
