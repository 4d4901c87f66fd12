// Kavel - progressive enhancement only; every page works without it.
// Loaded from /static (CSP script-src 'self'; no inline scripts).
'use strict';
// An irreversible action asks for its confirmation on the page itself (a
// box naming the consequence, checked by the server: form.h FIELD_CONFIRM),
// never with a dialog.

// The award rules form (page_award.c): the sums beside the weights follow
// what is typed, as the server computes them when the form is sent back;
// Enter in a field neither saves nor presses a row's button.
(function () {
  var form = document.getElementById('rules-form');
  if (!form) return;
  var en = document.documentElement.lang === 'en';
  var ofTotal = form.dataset.ofTotal || '%s';
  var pointsUnit = form.dataset.points || '%lld';
  function read(s, points) {
    s = (s || '').trim().replace(/\s*%$/, '');
    if (points) {
      if (!/^(\d{1,3}([. ]\d{3})+|\d+)$/.test(s)) return NaN;
      var p = parseInt(s.replace(/[. ]/g, ''), 10);
      return p >= 0 ? p : NaN;
    }
    if (!/^\d+([.,]\d{1,2}0*)?$/.test(s)) return NaN;
    return parseFloat(s.replace(',', '.'));
  }
  function pct(v) {
    if (!isFinite(v)) return '—';
    var t = String(Math.round(v * 100) / 100);
    return (en ? t : t.replace('.', ',')) + ' %';
  }
  function pts(v) { return isFinite(v) ? pointsUnit.replace('%lld', String(v)) : '—'; }
  function show(el, text, bad) {
    if (!el) return;
    var strong = el.querySelector('strong');
    (strong || el).textContent = text;
    el.classList.toggle('bad', !!bad);
  }
  function update() {
    var points = form.querySelector('#f-weighing-points').checked;
    var weighted = !!form.querySelector('input[name=method][value^="weighted"]:checked');
    var tops = [], stack = [];
    form.querySelectorAll('li.crit').forEach(function (li) {
      var it = { li: li, level: +li.dataset.level, kids: [],
        w: read(li.querySelector('input.weight').value, points) };
      while (stack.length && stack[stack.length - 1].level >= it.level) stack.pop();
      (stack.length ? stack[stack.length - 1].kids : tops).push(it);
      stack.push(it);
    });
    var sum = function (list) { return list.reduce(function (s, it) { return s + it.w; }, 0); };
    var top = sum(tops);
    var price = weighted ? read(form.querySelector('#f-price_weight').value, points) : 0;
    var total = top + price, priceShare = points ? (total > 0 ? price / total * 100 : NaN) : price;
    if (!weighted) priceShare = 0;
    var quality = 100 - priceShare;
    show(form.querySelector('[data-sum=top]'),
      points ? pts(top) : pct(top),
      points ? !(top > 0) : Math.abs(top - 100) > 1e-9);
    var ps = form.querySelector('[data-share=price]');
    if (ps) ps.textContent = weighted && isFinite(priceShare) ? ofTotal.replace('%s', pct(priceShare)) : '';
    (function walk(list, whole) {
      var s = sum(list);
      list.forEach(function (it) {
        var share = points ? it.w / s * whole : it.w / 100 * whole;
        var el = it.li.querySelector('.share');
        if (el) el.textContent = isFinite(share) ? ofTotal.replace('%s', pct(share)) : '';
        if (it.kids.length) {
          var k = sum(it.kids);
          show(it.li.querySelector('[data-sum]'),
            points ? pts(k) : pct(k),
            points ? k !== it.w : Math.abs(k - 100) > 1e-9);
          walk(it.kids, share);
        }
      });
    })(tops, quality);
  }
  form.addEventListener('input', update);
  form.addEventListener('change', update);
  form.addEventListener('keydown', function (ev) {
    var t = ev.target;
    if (ev.key === 'Enter' && t.tagName === 'INPUT' && t.type !== 'submit') ev.preventDefault();
  });
  update();
})();

// Uploads (forms of class "upload": bids in page_vault.c, application
// documents in page_taking_part.c): the file is sent with
// XMLHttpRequest so its progress shows, the button is disabled while it
// is sent, and the server's answer (the checklist with its confirmation,
// a receipt, or the refusal naming what is wrong) replaces the page.
// Without JavaScript the plain form posts the same multipart body.
(function () {
  var en = document.documentElement.lang === 'en';
  function mib(n) { return (n / 1048576).toFixed(1).replace('.', en ? '.' : ',') + ' MiB'; }
  document.addEventListener('submit', function (ev) {
    var form = ev.target;
    if (!form.classList || !form.classList.contains('upload') || !window.FormData) return;
    var input = form.querySelector('input[type=file]');
    if (!input || !input.files.length) return;
    ev.preventDefault();
    var btn = form.querySelector('button[type=submit], input[type=submit], button:not([type])');
    if (btn) btn.disabled = true;
    var bar = document.createElement('progress');
    bar.max = 100; bar.value = 0;
    var text = document.createElement('span');
    text.className = 'upload-status';
    text.setAttribute('role', 'status');
    text.setAttribute('aria-live', 'polite');
    var box = document.createElement('p');
    box.className = 'upload-progress';
    box.appendChild(bar); box.appendChild(text);
    form.appendChild(box);
    var xhr = new XMLHttpRequest();
    xhr.open('POST', form.action);
    xhr.upload.addEventListener('progress', function (e) {
      if (!e.lengthComputable) return;
      var p = Math.floor(e.loaded / e.total * 100);
      bar.value = p;
      text.textContent = ' ' + p + ' % (' + mib(e.loaded) + (en ? ' of ' : ' van ') + mib(e.total) + ')';
    });
    xhr.upload.addEventListener('load', function () {
      bar.value = 100;
      // A bid is sealed, an application document stored: both recorded.
      text.textContent = en ? ' Sent; the server records it…' : ' Verzonden; de server registreert het…';
    });
    function fail() {
      if (btn) btn.disabled = false;
      text.textContent = en ? ' The upload broke off; nothing was received. Try again.'
        : ' Het uploaden is afgebroken; er is niets ontvangen. Probeer het opnieuw.';
      box.classList.add('bad');
    }
    xhr.addEventListener('error', fail);
    xhr.addEventListener('abort', fail);
    xhr.addEventListener('load', function () {
      // Success: the redirect was followed; go there so the address
      // and history are right.  A refusal: show the page it came with.
      if (xhr.status < 400 && xhr.responseURL) {
        window.location.assign(xhr.responseURL);
        return;
      }
      var doc = new DOMParser().parseFromString(xhr.responseText, 'text/html');
      if (doc.body && doc.body.children.length) {
        document.body.replaceWith(document.adoptNode(doc.body));
        var err = document.querySelector('.error-summary');
        if (err) { err.setAttribute('tabindex', '-1'); err.focus(); }
      } else {
        fail();
      }
    });
    xhr.send(new FormData(form));
  });
})();

// The scoring matrix (page_award.c: form#score-matrix): a cell whose score
// and motivation are both filled is saved as soon as focus leaves it,
// through the single score's route (POST …/award/scores, as its own form
// would), and says "opgeslagen" beside it; a refusal shows the server's
// message there.  Without JavaScript the Save button saves every cell.
(function () {
  var form = document.getElementById('score-matrix');
  if (!form || !window.fetch || !window.URLSearchParams) return;
  var en = document.documentElement.lang === 'en';
  var csrf = form.querySelector('input[name=csrf]');
  function state(td) {
    var s = td.querySelector('select'), m = td.querySelector('textarea');
    return { step: s.value, motivation: m.value };
  }
  form.querySelectorAll('td.cell').forEach(function (td) {
    var st = state(td);
    td.dataset.saved = st.step + '\n' + st.motivation;
  });
  function say(td, text, bad) {
    var el = td.querySelector('.cell-status');
    if (!el) return;
    el.textContent = text;
    el.classList.toggle('bad', !!bad);
  }
  function save(td) {
    var st = state(td);
    var now = st.step + '\n' + st.motivation;
    if (!st.step || !st.motivation.trim() || now === td.dataset.saved) return;
    var body = new URLSearchParams();
    if (csrf) body.set('csrf', csrf.value);
    body.set('candidate', td.dataset.candidate);
    body.set('criterion', td.dataset.key);
    body.set('step', st.step);
    body.set('motivation', st.motivation);
    say(td, en ? 'saving…' : 'bezig met opslaan…');
    fetch(form.dataset.single, { method: 'POST', body: body, credentials: 'same-origin' })
      .then(function (res) {
        if (res.ok) {
          td.dataset.saved = now;
          say(td, en ? 'saved' : 'opgeslagen');
          return null;
        }
        return res.text().then(function (html) {
          var doc = new DOMParser().parseFromString(html, 'text/html');
          var err = doc.getElementById(td.querySelector('select').id.replace(/-step$/, '-error'));
          say(td, (en ? 'not saved: ' : 'niet opgeslagen: ') + (err ? err.textContent : res.status), true);
        });
      })
      .catch(function () { say(td, en ? 'not saved: use Save all scores' : 'niet opgeslagen: gebruik Alle scores opslaan', true); });
  }
  form.addEventListener('focusout', function (ev) {
    var td = ev.target.closest && ev.target.closest('td.cell');
    if (!td || (ev.relatedTarget && td.contains(ev.relatedTarget))) return;
    save(td);
  });
})();

// A refused matrix: its summary comes into view and takes the focus.
(function () {
  var err = document.getElementById('matrix-errors');
  if (err) err.focus();
})();
