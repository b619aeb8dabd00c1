'use strict';
// Public web chat client. No framework, no build. Server text is always set via textContent.
(() => {
  const $ = (id) => document.getElementById(id);
  const MAX = 4096, PHOTO_MAX = 10 * 1024 * 1024, CODES_KEY = 'tipline.caseCodes', OUTBOX_KEY = 'tipline.outbox';
  const FALLBACK = { connecting: '正在连接… Connecting…', offline: '网络已断开 · Offline', retrying: '正在重试… Retrying…', sendFailed: '发送失败 · Not sent' };
  const list = $('messages'), scroller = $('scroller'), ta = $('composer'), sendBtn = $('send'), form = $('form');
  const photo = $('photo'), sel = $('language'), statusEl = $('status'), counter = $('counter'), pendingEl = $('pending');
  let S = null, locale = document.documentElement.lang, lastSeq = 0, es = null, esDelay = 1000, esTimer = 0;
  let conn = 'connecting', retrying = false, credit = 0, stick = true, busy = false, wake = null;
  const seen = new Set(), queue = [], echoWaits = [];

  const t = (k, v) => {
    let s = (S && typeof S[k] === 'string') ? S[k] : (FALLBACK[k] || k);
    if (v) for (const [a, b] of Object.entries(v)) s = s.split('{{' + a + '}}').join(String(b));
    return s;
  };
  const mk = (tag, cls, text) => {
    const n = document.createElement(tag);
    if (cls) n.className = cls;
    if (text != null) n.textContent = text;
    return n;
  };
  const i18n = (n, key) => { n.dataset.i18n = key; n.textContent = t(key); return n; };
  const newId = () => {
    const b = crypto.getRandomValues(new Uint8Array(18));
    return btoa(String.fromCharCode(...b)).replace(/\+/g, '-').replace(/\//g, '_');
  };
  const sleep = (ms) => new Promise((res) => {
    const done = () => { clearTimeout(id); wake = null; res(); };
    const id = setTimeout(done, ms);
    wake = done;
  });

  // ---- network ----
  async function req(url, opts) {
    const r = await fetch(url, Object.assign({ credentials: 'same-origin', cache: 'no-store' }, opts));
    let data = {};
    try { data = await r.json(); } catch (e) { /* empty body */ }
    const after = Number(r.headers.get('Retry-After'));
    return { ok: r.ok, status: r.status, data: data || {}, retryAfter: after > 0 ? after * 1000 : 0 };
  }
  const jpost = (url, body) => req(url, {
    method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Tipline': '1' }, body: JSON.stringify(body),
  });

  // ---- UI strings ----
  function applyStrings() {
    if (!S) return;
    document.querySelectorAll('[data-i18n]').forEach((n) => { n.textContent = t(n.dataset.i18n); });
    ta.placeholder = t('placeholder');
    document.title = t('title');
    renderCodes();
    document.querySelector('.attach').title = t('attachHint');
    onInput();
    status();
  }
  function setUi(d) {
    if (!d) return;
    if (d.strings) S = d.strings;
    if (d.locale) locale = d.locale;
    document.documentElement.lang = locale;
    if (Array.isArray(d.locales) && d.locales.length) {
      sel.textContent = '';
      for (const l of d.locales) { const o = mk('option', '', l.name || l.code); o.value = l.code; sel.append(o); }
    }
    sel.value = locale;
    applyStrings();
  }
  /** The browser's own language: the platform's hint to the server (a choice in the menu wins). */
  function browserLocale() {
    return (navigator.languages && navigator.languages[0]) || navigator.language || '';
  }
  /** Asks the server for a session again (it keeps a valid cookie, or issues a new one). */
  async function ensureSession() {
    try { await jpost('/api/session', { locale: browserLocale() }); } catch (e) { /* offline: retried later */ }
  }
  async function loadUi(code) {
    try {
      const r = await req('/api/ui?locale=' + encodeURIComponent(code));
      if (r.ok) setUi(r.data);
    } catch (e) { /* keep current strings */ }
  }

  // ---- status line & pending ----
  function status() {
    const k = !navigator.onLine ? 'offline' : retrying ? 'retrying' : conn;
    const txt = k ? t(k) : '';
    if (statusEl.textContent !== txt) statusEl.textContent = txt;
    statusEl.dataset.state = k || 'ok';
  }
  function pending() {
    pendingEl.hidden = !(queue.length || echoWaits.length);
    toBottom();
  }

  // ---- scrolling ----
  // Only a scroll without a size change is the user's own; resizes (keyboard, reflow) keep us pinned.
  let dims = '';
  scroller.addEventListener('scroll', () => {
    const d = scroller.clientHeight + ':' + scroller.scrollHeight;
    if (d !== dims) { dims = d; if (stick) return toBottom(); }
    stick = scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 80;
  }, { passive: true });
  function toBottom() { if (stick) scroller.scrollTop = scroller.scrollHeight; }
  if (window.ResizeObserver) { const ro = new ResizeObserver(toBottom); ro.observe(scroller); ro.observe(list); }

  // ---- case codes ----
  let codes = [];
  try { const a = JSON.parse(localStorage.getItem(CODES_KEY) || '[]'); if (Array.isArray(a)) codes = a.filter((c) => typeof c === 'string'); } catch (e) { /* private mode */ }
  let noteTimer = 0;
  function addCode(c, front, announce) {
    c = String(c);
    const i = codes.indexOf(c);
    if (front) { if (i === 0) return; if (i > 0) codes.splice(i, 1); codes.unshift(c); } else if (i < 0) codes.push(c); else return;
    try { localStorage.setItem(CODES_KEY, JSON.stringify(codes)); } catch (e) { /* ignore */ }
    renderCodes();
    if (announce && i < 0) {
      const note = $('code-note');
      i18n(note, 'newCodeSaved');
      clearTimeout(noteTimer);
      noteTimer = setTimeout(() => { delete note.dataset.i18n; note.textContent = ''; }, 12000);
    }
  }
  function renderCodes() {
    const ul = $('code-list');
    ul.textContent = '';
    codes.forEach((c, i) => {
      const li = mk('li', i ? '' : 'latest');
      const code = mk('span', 'code', c);
      code.dataset.testid = 'case-code';
      const b = i18n(mk('button', 'copy'), 'copy');
      b.type = 'button';
      b.setAttribute('aria-label', t('copy') + ' ' + c);
      b.addEventListener('click', () => copy(c, b, code));
      li.append(code, b);
      ul.append(li);
    });
    $('codes').hidden = !codes.length;
  }
  async function copy(text, btn, node) {
    let ok = false;
    try { await navigator.clipboard.writeText(text); ok = true; } catch (e) { /* fall back */ }
    if (!ok) {
      const tmp = mk('textarea', 'offscreen');
      tmp.value = text; tmp.setAttribute('readonly', '');
      document.body.append(tmp); tmp.select();
      try { ok = document.execCommand('copy'); } catch (e) { /* ignore */ }
      tmp.remove(); btn.focus();
    }
    if (!ok) { const r = document.createRange(); r.selectNodeContents(node); const s = getSelection(); s.removeAllRanges(); s.addRange(r); return; }
    btn.textContent = t('copied');
    btn.setAttribute('aria-label', t('copied') + ' ' + text);
    setTimeout(() => { btn.textContent = t('copy'); btn.setAttribute('aria-label', t('copy') + ' ' + text); }, 2000);
  }

  // ---- rendering ----
  function fmtTime(at) {
    const d = new Date(at);
    if (isNaN(d)) return '';
    const o = { hour: '2-digit', minute: '2-digit' };
    if (d.toDateString() !== new Date().toDateString()) { o.month = 'short'; o.day = 'numeric'; }
    try { return d.toLocaleString(locale, o); } catch (e) { return d.toLocaleString(undefined, o); }
  }
  function addEntry(e, fromHistory) {
    if (!e || typeof e.seq !== 'number' || seen.has(e.seq)) return;
    seen.add(e.seq);
    // The bot answers in the reporter's language (chosen, or read from what they wrote):
    // the page follows it, so buttons and labels match the conversation.
    if (!fromHistory && e.direction === 'out' && typeof e.locale === 'string' && e.locale !== locale) loadUi(e.locale);
    const mine = e.direction === 'in';
    const from = ['reporter', 'bot', 'caseworker'].includes(e.from) ? e.from : (mine ? 'reporter' : 'bot');
    const row = mk('div', 'msg ' + (mine ? 'in' : 'out') + ' from-' + from);
    row.dataset.testid = 'msg';
    row.dataset.from = from;
    row.dataset.seq = String(e.seq);
    row.append(i18n(mk('span', from === 'caseworker' ? 'who' : 'who sr-only'), mine ? 'you' : from));
    const b = mk('div', 'bubble');
    if (e.photo) {
      const p = mk('p', 'photo-sent');
      const icon = document.querySelector('.attach svg').cloneNode(true);
      icon.classList.add('cam');
      p.append(icon, i18n(mk('span'), 'photoSent'));
      b.append(p);
    }
    if (typeof e.text === 'string' && e.text) b.append(mk('p', 'text', e.text));
    if (e.image && typeof e.image.url === 'string') {
      try {
        const u = new URL(e.image.url, location.href);
        if (/^https?:$/.test(u.protocol)) {
          const img = mk('img', 'pic');
          img.alt = String(e.image.alt || '');
          img.loading = 'lazy'; img.decoding = 'async';
          img.addEventListener('load', toBottom);
          img.src = u.href;
          b.append(img);
        }
      } catch (err) { /* bad url */ }
    }
    const time = mk('time', 'at', fmtTime(e.at));
    if (e.at) time.dateTime = String(e.at);
    b.append(time);
    row.append(b);
    if (!mine && Array.isArray(e.choices) && e.choices.length) {
      const g = mk('div', 'choices');
      g.setAttribute('role', 'group');
      for (const c of e.choices) {
        if (!c || typeof c.id !== 'string') continue;
        const btn = mk('button', 'choice', String(c.label || c.id));
        btn.type = 'button';
        btn.dataset.testid = 'choice';
        btn.dataset.choiceId = c.id;
        btn.addEventListener('click', () => choose(btn, row));
        g.append(btn);
      }
      row.append(g);
    }
    if (e.seq > lastSeq) { lastSeq = e.seq; list.append(row); } else {
      const after = [...list.querySelectorAll('.msg')].find((m) => +m.dataset.seq > e.seq);
      list.insertBefore(row, after || null);
    }
    if (e.caseCode) addCode(e.caseCode, true, !fromHistory);
    // Our own echo may arrive before the POST resolves: keep a credit so no indicator lingers.
    if (mine && !fromHistory) { if (echoWaits.length) { clearTimeout(echoWaits.shift()); pending(); } else if (queue.length) credit++; }
    refreshChoices();
    toBottom();
  }
  function refreshChoices() {
    // The newest buttons stay usable even if a message without buttons (a caseworker's reply,
    // a notice) came after them; the server answers politely if one has gone stale.
    const outs = [...list.querySelectorAll('.msg.out')].filter((m) => m.querySelector('.choice'));
    const latest = outs[outs.length - 1];
    list.querySelectorAll('.choice').forEach((b) => {
      const row = b.closest('.msg');
      b.disabled = row !== latest || row.dataset.used === '1';
    });
  }
  function notice(text) {
    const n = mk('div', 'notice', text);
    list.append(n);
    stick = true; toBottom();
  }
  function choose(btn, row) {
    row.dataset.used = '1';
    btn.classList.add('chosen');
    refreshChoices();
    const id = btn.dataset.choiceId;
    stick = true;
    send({ action: id }, { ui: id.startsWith('lang:') ? id.slice(5) : '', row });
    // Keyboard users keep their place: the pressed button is now disabled, so focus the composer
    // (not on touch screens, where that would pop up the keyboard).
    if (!matchMedia('(pointer: coarse)').matches) ta.focus();
  }

  // ---- outgoing queue: one at a time, in order; same clientId on retry ----
  function save() {
    try {
      const keep = queue.filter((q) => q.body).map((q) => ({ id: q.id, body: q.body, ui: q.ui || '' }));
      if (keep.length) sessionStorage.setItem(OUTBOX_KEY, JSON.stringify(keep)); else sessionStorage.removeItem(OUTBOX_KEY);
    } catch (e) { /* ignore */ }
  }
  function send(body, opts) {
    const item = Object.assign({ id: newId() }, opts || {});
    if (body) item.body = body;
    queue.push(item);
    save(); pending(); pump();
  }
  function attempt(q) {
    if (q.file) {
      // The page's language goes with every message: the bot answers in it until the reporter picks one.
      return req('/api/photos?clientId=' + encodeURIComponent(q.id) + '&locale=' + encodeURIComponent(browserLocale()), {
        method: 'POST', body: q.file, headers: { 'Content-Type': q.file.type || 'application/octet-stream', 'X-Tipline': '1' },
      });
    }
    return jpost('/api/messages', Object.assign({ clientId: q.id, locale: browserLocale() }, q.body));
  }
  async function pump() {
    if (busy) return;
    busy = true;
    while (queue.length) {
      const q = queue[0];
      let delay = 1000, r = null;
      for (;;) {
        try { r = await attempt(q); } catch (e) { r = null; }
        // Only a definite "no" ends the attempts; busy, slow and rate-limited answers are retried
        // (with the same clientId, so the server processes the message once).
        if (r && r.status === 401) { await ensureSession(); r = null; }
        else if (r && r.status < 500 && r.status !== 408 && r.status !== 429) break;
        retrying = true; status();
        await sleep(Math.max(delay, (r && r.retryAfter) || 0));
        delay = Math.min(delay * 2, 30000);
      }
      retrying = false; status();
      queue.shift(); save();
      if (r.ok) {
        if (credit) credit--;
        else if ((q.file || (q.body && !q.body.command)) && !(r.data && r.data.echoed === false)) {
          const tm = setTimeout(() => { const i = echoWaits.indexOf(tm); if (i >= 0) echoWaits.splice(i, 1); pending(); }, 15000);
          echoWaits.push(tm);
        }
        if (q.ui) loadUi(q.ui);
      } else {
        notice((r.data && typeof r.data.message === 'string' && r.data.message) || t('sendFailed'));
        if (q.body && q.body.text && !ta.value) { ta.value = q.body.text; onInput(); }
        if (q.row) { q.row.dataset.used = ''; q.row.querySelectorAll('.chosen').forEach((c) => c.classList.remove('chosen')); refreshChoices(); }
      }
      pending();
    }
    busy = false;
  }

  // ---- polling, when the live stream cannot be had ----
  let polling = false, pollTimer = 0;
  function startPolling() {
    if (polling) return;
    polling = true;
    const tick = async () => {
      if (!polling) return;
      try {
        const r = await req('/api/history?after=' + lastSeq);
        if (r.ok && Array.isArray(r.data.entries)) r.data.entries.forEach((e) => addEntry(e));
      } catch (e) { /* offline: next tick */ }
      if (polling) pollTimer = setTimeout(tick, 3000);
    };
    tick();
  }
  function stopPolling() { polling = false; clearTimeout(pollTimer); }

  // ---- forget this device: a reporter on a shared phone leaves no trace here ----
  document.getElementById('forget').addEventListener('click', async () => {
    if (!confirm(t('forgetConfirm'))) return;
    try { await jpost('/api/forget', {}); } catch (e) { /* the cookie is cleared below anyway */ }
    try { localStorage.removeItem(CODES_KEY); sessionStorage.clear(); } catch (e) { /* storage off */ }
    location.replace(location.pathname);
  });

  // ---- events stream ----
  function openEvents() {
    clearTimeout(esTimer);
    if (es) es.close();
    es = new EventSource('/api/events?after=' + lastSeq);
    es.onopen = () => { conn = ''; esDelay = 1000; stopPolling(); status(); };
    es.onmessage = (m) => { try { addEntry(JSON.parse(m.data)); } catch (e) { /* malformed */ } };
    es.onerror = () => {
      if (es.readyState === 2) {
        conn = 'offline';
        // Refused or broken stream (a busy server, a crowded network address): fetch replies by
        // polling meanwhile, so a reporter is never left without an answer.
        startPolling();
        // The stream was refused (an expired session?): renew the session, then reconnect.
        esTimer = setTimeout(() => { ensureSession().then(openEvents, openEvents); }, esDelay);
        esDelay = Math.min(esDelay * 2, 30000);
      } else conn = 'connecting';
      status();
    };
  }

  // ---- composer ----
  const coarse = matchMedia('(pointer: coarse)').matches;
  function onInput() {
    const left = MAX - ta.value.length;
    counter.hidden = left >= 500;
    counter.textContent = t('charsLeft', { n: Math.max(left, 0) });
    sendBtn.disabled = !ta.value.trim();
    ta.style.height = 'auto';
    ta.style.height = Math.min(ta.scrollHeight + 2, 160) + 'px';
  }
  ta.addEventListener('input', onInput);
  ta.addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter' && !ev.shiftKey && !ev.isComposing && ev.keyCode !== 229 && !coarse) {
      ev.preventDefault();
      form.requestSubmit ? form.requestSubmit() : submit();
    }
  });
  function submit(ev) {
    if (ev) ev.preventDefault();
    const text = ta.value.trim();
    if (!text) return;
    if (text.length > MAX) { notice(t('tooLong', { max: MAX })); return; }
    ta.value = '';
    onInput();
    stick = true;
    send({ text });
  }
  form.addEventListener('submit', submit);
  photo.addEventListener('change', () => {
    for (const f of [...photo.files]) {
      const img = f.type ? f.type.startsWith('image/') : /\.(jpe?g|png|gif|webp|heic|heif|avif|bmp)$/i.test(f.name);
      if (!img) notice(t('photoNotImage'));
      else if (f.size > PHOTO_MAX) notice(t('photoTooLarge', { max: '10 MB' }));
      else { stick = true; send(null, { file: f }); }
    }
    photo.value = '';
  });
  sel.addEventListener('change', () => {
    const code = sel.value;
    send({ action: 'lang:' + code });
    loadUi(code);
  });

  addEventListener('online', () => { status(); if (wake) wake(); if (S && (!es || es.readyState === 2)) openEvents(); });
  addEventListener('offline', status);
  document.addEventListener('visibilitychange', () => {
    if (!document.hidden && S && (!es || es.readyState === 2)) openEvents();
  });

  // ---- start ----
  async function boot() {
    renderCodes();
    status();
    let delay = 1000;
    for (;;) {
      try {
        const r = await jpost('/api/session', { locale: navigator.language || 'zh-CN' });
        if (r.ok) { start(r.data); return; }
      } catch (e) { /* retry */ }
      conn = navigator.onLine ? 'connecting' : 'offline'; status();
      await sleep(delay);
      delay = Math.min(delay * 2, 30000);
    }
  }
  function start(d) {
    setUi(d);
    if (Array.isArray(d.caseCodes)) d.caseCodes.forEach((c) => addCode(c, false, false));
    const hist = (Array.isArray(d.history) ? d.history : []).slice().sort((a, b) => a.seq - b.seq);
    hist.forEach((e) => addEntry(e, true));
    const lastOut = hist.filter((e) => e.direction === 'out' && typeof e.locale === 'string').pop();
    if (lastOut && lastOut.locale !== locale) loadUi(lastOut.locale);
    let saved = [];
    try { saved = JSON.parse(sessionStorage.getItem(OUTBOX_KEY) || '[]'); } catch (e) { /* ignore */ }
    // A poster's QR code can link to /?child=7: the conversation opens as a tip about #7.
    const child = (new URLSearchParams(location.search).get('child') || '').match(/^\d{1,4}$/);
    const childKey = 'tipline.child.' + (child ? child[0] : '');
    if (child && !sessionStorage.getItem(childKey)) {
      sessionStorage.setItem(childKey, '1');
      queue.push({ id: newId(), body: { command: 'start', args: 'child_' + child[0] } });
    } else if (!hist.length) queue.push({ id: newId(), body: { command: 'start' } });
    if (Array.isArray(saved)) saved.forEach((q) => { if (q && q.id && q.body) queue.push(q); });
    save(); pending(); pump();
    openEvents();
    stick = true; toBottom();
  }
  boot();
})();
