// Kavel - progressive enhancement only; every page works without it.
// Loaded from /static (CSP script-src 'self'; no inline scripts).
'use strict';
document.addEventListener('submit', function (ev) {
  var btn = ev.submitter;
  if (btn && btn.classList.contains('complete')) {
    var msg = document.documentElement.lang === 'en'
      ? 'Mark this stage completed? This is recorded in the audit trail and cannot be undone.'
      : 'Deze fase afronden? Dit wordt vastgelegd in het auditlog en kan niet ongedaan worden gemaakt.';
    if (!window.confirm(msg)) ev.preventDefault();
  }
});
