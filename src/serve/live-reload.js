// playbook serve: follows rebuilds. Sent only by `playbook serve`, never written into a built site.
// The events URL is worked out from this script's own address, itself resolved against
// `location`, so the page keeps following behind any host, port or base path.
(function () {
  "use strict";
  if (window.__playbookServe) return;

  var script = document.currentScript;
  var here = new URL(script && script.src ? script.src : "/__playbook/live-reload.js", location.href);
  var eventsUrl = new URL("events", here);
  var version = null;

  function swapStylesheets(paths) {
    var stamp = String(Date.now());
    var links = document.querySelectorAll('link[rel~="stylesheet"]');
    var swapped = 0;
    links.forEach(function (link) {
      var url = new URL(link.href, location.href);
      if (url.origin !== location.origin) return;
      var matches = paths.some(function (p) { return url.pathname === p || url.pathname.endsWith(p); });
      if (!matches) return;
      url.searchParams.set("playbook-serve", stamp);
      // Load the new sheet beside the old one, then drop the old: no flash of unstyled page.
      var fresh = link.cloneNode();
      fresh.href = url.href;
      fresh.addEventListener("load", function () { link.remove(); });
      fresh.addEventListener("error", function () { fresh.remove(); });
      link.after(fresh);
      swapped += 1;
    });
    return swapped;
  }

  var source = new EventSource(eventsUrl.href);
  // Kept where tests (and the curious) can see whether the page is following.
  window.__playbookServe = source;
  source.addEventListener("hello", function (event) {
    // A different version after a reconnect means rebuilds were missed (or the server restarted).
    if (version !== null && event.data !== version) location.reload();
    version = event.data;
  });
  source.addEventListener("reload", function (event) {
    version = event.data;
    location.reload();
  });
  source.addEventListener("css", function (event) {
    var message;
    try { message = JSON.parse(event.data); } catch (e) { location.reload(); return; }
    version = message.version;
    if (swapStylesheets(message.paths || []) === 0) location.reload();
  });

  document.addEventListener("click", function (event) {
    var target = event.target;
    if (target instanceof Element && target.closest("[data-playbook-serve-hide]")) {
      var overlay = document.getElementById("playbook-serve-overlay");
      if (overlay) overlay.hidden = true;
    }
  });
})();
