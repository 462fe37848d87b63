/* culture-lint editor page. Plain JavaScript, no dependencies, nothing loaded from the network.
   Positions: the API counts columns in Unicode code points; JavaScript strings count UTF-16 units, so every
   line/column goes through toUnit() (emoji and other astral characters are two units). */
"use strict";
(function () {
  const $ = (id) => document.getElementById(id);
  const DEBOUNCE_MS = 60;  // typing faster than this is one burst; an in-flight check is aborted
  const CARDS_SHOWN = 120;  // more cards are drawn on demand (a long draft can have hundreds)
  const SUBSCORES = ["compliance", "taboo", "language", "calendar", "embedding", "interaction"];
  const READONLY_FORMATS = ["docx"];
  const DIRECTIVE = {
    text: (c) => "# " + c, markdown: (c) => "<!-- " + c + " -->", html: (c) => "<!-- " + c + " -->",
    yaml: (c) => "# " + c, srt: (c) => "[" + c + "]", vtt: (c) => "[" + c + "]",
  };
  const state = {
    S: {}, lang: "en", filename: "draft.txt", original: null, originalText: null, encoding: null,
    format: "text", report: null, details: null, findings: [], seq: 0, timer: null, controller: null,
    scoreMarket: null, scores: {}, scoredText: null, ignore: [], marketsTouched: false, dateTouched: false,
    current: -1,
  };
  window.cultureLint = state;  // tests and the bench read state.lintedAt / state.seq

  // ---------------------------------------------------------------- strings
  function t(key, values) {
    let s = state.S[key] || key;
    if (values) for (const k in values) s = s.split("{" + k + "}").join(String(values[k]));
    return s;
  }
  async function loadStrings(lang) {
    const data = await api("GET", "/api/ui?lang=" + encodeURIComponent(lang));
    state.S = data.strings; state.lang = data.lang;
    document.documentElement.lang = data.lang === "zh" ? "zh-CN" : "en";
    document.querySelectorAll("[data-i18n]").forEach((el) => { el.textContent = t(el.dataset.i18n); });
    document.querySelectorAll("[data-i18n-placeholder]").forEach((el) => {
      el.placeholder = t(el.dataset.i18nPlaceholder);
    });
    document.title = t("title");
    return data;
  }

  // ---------------------------------------------------------------- HTTP
  async function api(method, url, body, signal) {
    const res = await fetch(url, {
      method, signal, headers: body ? {"content-type": "application/json"} : {},
      body: body ? JSON.stringify(body) : undefined,
    });
    const type = res.headers.get("content-type") || "";
    if (!res.ok) {
      let message = res.status + " " + res.statusText;
      if (type.includes("json")) { const e = await res.json(); message = e.error ? e.error.message : message; }
      throw new Error(message);
    }
    return type.includes("json") ? res.json() : res.text();
  }
  function el(tag, attrs, ...kids) {
    const node = document.createElement(tag);
    for (const k in attrs || {}) {
      if (k === "class") node.className = attrs[k];
      else if (k.startsWith("on")) node.addEventListener(k.slice(2), attrs[k]);
      else if (attrs[k] !== null && attrs[k] !== undefined) node.setAttribute(k, attrs[k]);
    }
    for (const kid of kids) if (kid !== null && kid !== undefined) node.append(kid);
    return node;
  }
  const svgNS = "http://www.w3.org/2000/svg";
  function sv(tag, attrs, text) {
    const node = document.createElementNS(svgNS, tag);
    for (const k in attrs) node.setAttribute(k, attrs[k]);
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // ---------------------------------------------------------------- positions
  function lineStarts(text) {
    const starts = [0];
    for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) starts.push(i + 1);
    return starts;
  }
  function toUnit(text, starts, line, column) {
    let i = starts[Math.min(line, starts.length) - 1] || 0;
    for (let n = 1; n < column && i < text.length; n++) {
      const code = text.codePointAt(i);
      i += code > 0xffff ? 2 : 1;
    }
    return Math.min(i, text.length);
  }

  // ---------------------------------------------------------------- request body
  function markets() {
    return $("markets").value.split(/[\s,]+/).map((s) => s.trim().toLowerCase()).filter(Boolean);
  }
  function body(extra) {
    const b = {filename: state.filename, markets: markets(), lang: state.lang, ignore: state.ignore};
    const text = $("draft").value;
    if (state.original !== null && text === state.originalText) b.data = state.original;
    else {
      b.text = text;
      if (state.encoding && state.original !== null) b.encoding = state.encoding;
    }
    if ($("platform").value) b.platform = $("platform").value;
    if ($("date").value) b.date = $("date").value;
    if ($("start").value) b.start = $("start").value;
    return Object.assign(b, extra || {});
  }

  // ---------------------------------------------------------------- linting
  function schedule() {
    clearTimeout(state.timer);
    state.timer = setTimeout(lint, DEBOUNCE_MS);
  }
  async function lint() {
    clearTimeout(state.timer);
    if (state.controller) state.controller.abort();
    const controller = new AbortController();
    state.controller = controller;
    const seq = ++state.seq;
    const text = $("draft").value;
    const started = performance.now();
    $("status").textContent = t("checking");
    let data;
    try {
      // findings first (what the writer waits for); the score follows in a second request, which costs
      // little: the server's incremental cache holds this very text's findings by then
      data = await api("POST", "/api/check", body({details: true, quick: true}), controller.signal);
    } catch (err) {
      if (err.name === "AbortError") return;
      showNotice(err.message, true);
      $("status").textContent = "";
      state.lintedSeq = seq;
      return;
    }
    if (seq !== state.seq) return;  // a newer request is on its way
    showNotice("");
    state.report = data; state.details = data.details || {};
    state.format = state.details.format || "text";
    const file = data.files[0] || {findings: [], scores: {}};
    state.findings = file.findings;
    prefill(state.details.metadata || {});
    render(text);
    const ms = Math.round(performance.now() - started);
    $("status").textContent = t("status", {count: file.findings.length, ms});
    state.lintedAt = performance.now(); state.lintedSeq = seq; state.lintedText = text;
    document.body.dataset.linted = String(seq);
    score(seq, text, controller);
  }
  async function score(seq, text, controller) {
    let data;
    try {
      data = await api("POST", "/api/score", body(), controller.signal);
    } catch (err) {
      if (err.name !== "AbortError") showNotice(err.message, true);
      return;
    }
    if (seq !== state.seq) return;
    const exact = (data.files[0] && data.files[0].findings) || [];
    if (!(state.details && state.details.exact) && JSON.stringify(exact) !== JSON.stringify(state.findings)) {
      // the quick check kept whole-document findings from the last exact one: draw the exact set
      state.findings = exact; state.report = data;
      state.details = Object.assign({}, state.details, {exact: true});
      render(text);
    }
    state.scores = (data.files[0] && data.files[0].scores) || {};
    renderScore();
    state.exactAt = performance.now();
    state.scoredText = text;
    document.body.dataset.scored = String(seq);
  }
  function prefill(meta) {
    if (!state.marketsTouched && !$("markets").value && meta.market) {
      $("markets").value = [].concat(meta.market).join(",");
    }
    if (!state.dateTouched && !$("date").value && meta.date) $("date").value = String(meta.date).slice(0, 10);
    if (!$("start").value && meta.start && /^\d{1,2}:\d\d$/.test(meta.start)) $("start").value = meta.start.padStart(5, "0");
    if (!$("platform").value && meta.platform) {
      const p = [].concat(meta.platform)[0];
      if ([...$("platform").options].some((o) => o.value === p)) $("platform").value = p;
    }
  }
  function showNotice(message, isError) {
    const n = $("notice");
    n.hidden = !message; n.textContent = message || ""; n.className = "notice" + (isError ? " error" : "");
  }

  // ---------------------------------------------------------------- rendering
  const RANK = {info: 0, warning: 1, error: 2};
  function ranges(text) {
    const starts = lineStarts(text);
    return state.findings.map((f, i) => {
      let a = toUnit(text, starts, f.line, f.column), b = toUnit(text, starts, f.end_line, f.end_column);
      if (b <= a) b = Math.min(text.length, a + 1);
      return {a, b, i, sev: f.severity};
    });
  }
  function render(text) {
    const rs = ranges(text).filter((r) => r.b > r.a);
    const cuts = new Set([0, text.length]);
    rs.forEach((r) => { cuts.add(r.a); cuts.add(r.b); });
    const points = [...cuts].sort((x, y) => x - y);
    const back = $("backdrop");
    back.textContent = "";
    for (let k = 0; k + 1 < points.length; k++) {
      const a = points[k], b = points[k + 1];
      const piece = text.slice(a, b);
      const cover = rs.filter((r) => r.a <= a && r.b >= b);
      if (!cover.length) { back.append(piece); continue; }
      const top = cover.reduce((x, y) => (RANK[y.sev] > RANK[x.sev] ? y : x));
      back.append(el("mark", {"class": "sev-" + top.sev, "data-finding": cover.map((r) => r.i).join(" ")}, piece));
    }
    back.append("\n");  // a trailing newline in the textarea still takes a line
    syncScroll();
    renderCards(text);
    renderScore();
    renderShow();
    const details = state.details || {};
    const ro = READONLY_FORMATS.includes(details.format);
    $("draft").readOnly = ro;
    if (ro) showNotice(t("read_only"));
  }
  function syncScroll() { $("backdrop").scrollTop = $("draft").scrollTop; }

  function renderCards(text) {
    const box = $("cards");
    box.textContent = "";
    if (!state.findings.length) { box.append(el("p", {"class": "note"}, t("no_findings"))); return; }
    const rules = (state.details && state.details.rules) || {};
    const limit = state.allCards ? state.findings.length : CARDS_SHOWN;
    state.findings.forEach((f, i) => {
      if (i >= limit) return;
      const info = rules[f.rule] || {};
      const card = el("div", {"class": "card sev-" + f.severity, "data-finding": String(i), "data-rule": f.rule,
                              onclick: () => select(i)},
        el("div", {"class": "head"}, el("span", {"class": "sev"}, t("severity_" + f.severity)),
           el("code", {}, f.rule), el("span", {}, "[" + f.market + "]"),
           el("span", {}, f.line + ":" + f.column + (f.timestamp ? " · " + f.timestamp : ""))),
        el("div", {"class": "msg"}, f.message),
        f.text ? el("div", {"class": "quote"}, f.text) : null);
      if (info.why) card.append(el("details", {}, el("summary", {}, t("why")), el("p", {}, info.why)));
      if (f.source) {
        card.append(el("div", {"class": "src"}, el("small", {}, t("source") + ": "),
          /^https?:\/\//.test(f.source) ? el("a", {href: f.source, target: "_blank", rel: "noopener noreferrer"}, f.source)
                                       : el("small", {}, f.source)));
      }
      f.suggestions.forEach((s) => {
        const row = el("div", {"class": "sugg"}, el("span", {}, "→ " + s.replacement),
          el("span", {"class": "tag"}, s.safe ? t("safe") : t("unsafe")));
        if (s.fix && !$("draft").readOnly) {
          row.append(el("button", {"class": "apply", onclick: (e) => { e.stopPropagation(); applyFix(s.fix); }}, t("apply")));
        }
        card.append(row);
      });
      if (f.category !== "input") {
        card.append(el("div", {"class": "buttons"}, el("button", {"class": "suppress",
          onclick: (e) => { e.stopPropagation(); suppress(f); }}, t("suppress"))));
      }
      box.append(card);
    });
    if (state.findings.length > limit) {
      box.append(el("button", {"class": "link more", onclick: () => { state.allCards = true; renderCards($("draft").value); }},
        "+" + (state.findings.length - limit)));
    }
  }
  function select(i) {
    if (i >= CARDS_SHOWN && !state.allCards) { state.allCards = true; renderCards($("draft").value); }
    state.current = i;
    const text = $("draft").value, f = state.findings[i];
    const starts = lineStarts(text);
    const a = toUnit(text, starts, f.line, f.column), b = toUnit(text, starts, f.end_line, f.end_column);
    const ta = $("draft");
    ta.focus(); ta.setSelectionRange(a, Math.max(a, b));
    document.querySelectorAll(".card.current, mark.current").forEach((n) => n.classList.remove("current"));
    const card = document.querySelector('.card[data-finding="' + i + '"]');
    if (card) card.classList.add("current");
    document.querySelectorAll("mark").forEach((m) => {
      if (m.dataset.finding.split(" ").includes(String(i))) {
        m.classList.add("current");
        ta.scrollTop = Math.max(0, m.offsetTop - ta.clientHeight / 3);
      }
    });
    syncScroll();
  }
  function applyFix(fix) {
    const ta = $("draft"), text = ta.value, starts = lineStarts(text);
    const a = toUnit(text, starts, fix.line, fix.column), b = toUnit(text, starts, fix.end_line, fix.end_column);
    ta.value = text.slice(0, a) + fix.text + text.slice(b);
    lint();
  }
  function suppress(f) {
    const make = DIRECTIVE[state.format];
    const ta = $("draft"), text = ta.value;
    if (make && !ta.readOnly) {
      const starts = lineStarts(text);
      const at = starts[f.line - 1] || 0;
      const nl = text.includes("\r\n") ? "\r\n" : "\n";
      ta.value = text.slice(0, at) + make("culture-lint: disable-next-line " + f.rule) + nl + text.slice(at);
    } else if (!state.ignore.includes(f.rule)) {
      state.ignore.push(f.rule);
      showNotice(t("suppressed", {rule: f.rule}));
    }
    lint();
  }

  // ---------------------------------------------------------------- score chart
  function renderScore() {
    const scores = state.scores || {};
    const ms = Object.keys(scores);
    if (!ms.includes(state.scoreMarket)) state.scoreMarket = ms[0] || null;
    const chips = $("score-markets");
    chips.textContent = "";
    if (ms.length > 1) ms.forEach((m) => chips.append(el("button", {"class": m === state.scoreMarket ? "active" : "",
      onclick: () => { state.scoreMarket = m; renderScore(); }}, m)));
    const s = scores[state.scoreMarket];
    $("score-value").textContent = s ? String(Math.round(s.score)) : "–";
    const band = $("score-band");
    band.textContent = s ? t("band_" + s.band) : ""; band.className = "band " + (s ? s.band : "");
    drawRadar($("chart"), s ? s.subscores : null);
  }
  function drawRadar(svg, sub) {
    svg.textContent = "";
    const cx = 110, cy = 100, r = 70, n = SUBSCORES.length;
    const pt = (k, v) => {
      const ang = -Math.PI / 2 + (2 * Math.PI * k) / n;
      return [cx + Math.cos(ang) * r * v, cy + Math.sin(ang) * r * v];
    };
    for (const ring of [0.25, 0.5, 0.75, 1]) {
      svg.append(sv("polygon", {"class": "axis", points: SUBSCORES.map((_, k) => pt(k, ring).join(",")).join(" ")}));
    }
    SUBSCORES.forEach((name, k) => {
      const [x, y] = pt(k, 1);
      svg.append(sv("line", {"class": "axis", x1: cx, y1: cy, x2: x, y2: y}));
      const [lx, ly] = pt(k, 1.22);
      const v = sub && sub[name] !== undefined ? Math.round(sub[name]) : "";
      svg.append(sv("text", {x: lx, y: ly, "text-anchor": "middle", "dominant-baseline": "middle",
                             "data-subscore": name}, t("sub_" + name) + (v !== "" ? " " + v : "")));
    });
    if (sub) {
      svg.append(sv("polygon", {"class": "area", points: SUBSCORES.map((name, k) =>
        pt(k, Math.max(0, Math.min(100, sub[name] || 0)) / 100).join(",")).join(" ")}));
    }
  }

  // ---------------------------------------------------------------- show view
  function seconds(ts) {
    if (!ts) return null;
    const m = /^(\d+):(\d\d):(\d\d)(?:\.(\d+))?$/.exec(ts);
    return m ? (+m[1]) * 3600 + (+m[2]) * 60 + (+m[3]) + (m[4] ? +("0." + m[4]) : 0) : null;
  }
  function renderShow() {
    const svg = $("timeline"), d = state.details || {}, legend = $("timeline-legend");
    svg.textContent = ""; legend.textContent = "";
    if (!d.timed || !d.segments || !d.segments.length) { $("timeline-note").textContent = t("not_timed"); }
    else {
      $("timeline-note").textContent = "";
      const end = Math.max(...d.segments.map((s) => s.end || s.start || 0), 1);
      const x = (sec) => 20 + (960 * sec) / end;
      svg.append(sv("line", {x1: 20, y1: 95, x2: 980, y2: 95, stroke: "#90a4ae"}));
      const step = end > 3600 ? 600 : end > 900 ? 300 : 60;
      for (let s = 0; s <= end; s += step) {
        svg.append(sv("line", {x1: x(s), y1: 90, x2: x(s), y2: 100, stroke: "#90a4ae"}));
        svg.append(sv("text", {x: x(s), y: 115, "text-anchor": "middle", fill: "#5f6b76"}, Math.round(s / 60) + "′"));
      }
      d.segments.forEach((s) => svg.append(sv("rect", {x: x(s.start), y: 80, width: Math.max(1, x(s.end || s.start) - x(s.start)),
        height: 10, fill: "#cfd8dc"}, undefined)));
      (d.gaps || []).forEach((g, k) => {
        if (!g.seconds) return;
        const y = 14 + 18 * k;
        const [a, b] = g.check === "closing" ? [end - g.seconds, end] : [0, Math.min(end, g.seconds)];
        svg.append(sv("rect", {x: x(a), y, width: x(b) - x(a), height: 6, fill: "#b39ddb", "data-gap": g.check}));
        const key = g.check === "prompt-gap" ? "gap_limit" : g.check === "hook" ? "hook_window" : "closing_window";
        const label = g.market + ": " + t(key, {minutes: Math.round(g.seconds / 6) / 10});
        svg.append(sv("text", {x: x(a) + 4, y: y - 2, fill: "#4527a0"}, label));
        legend.append(el("li", {}, label));
      });
      const colors = getComputedStyle(document.documentElement);
      state.findings.forEach((f, i) => {
        const sec = seconds(f.timestamp);
        if (sec === null) return;
        const c = sv("circle", {cx: x(sec), cy: f.category === "interaction" ? 140 : 60, r: 6,
          fill: colors.getPropertyValue("--" + f.severity) || "#c62828",
          "data-finding": String(i)});
        c.append(sv("title", {}, (f.timestamp || "") + " " + f.rule + ": " + f.message));
        c.addEventListener("click", () => { switchTab("editor"); select(i); });
        svg.append(c);
      });
    }
    renderCalendar();
  }
  let calendarKey = "";
  async function renderCalendar() {
    const box = $("calendar"), ms = (state.report && state.report.markets) || markets();
    const date = $("date").value;
    if (!date || !ms.length) { box.textContent = t("pick_date"); calendarKey = ""; return; }
    const from = new Date(date + "T00:00:00Z"); from.setUTCDate(from.getUTCDate() - 7);
    const key = [ms.join(","), from.toISOString().slice(0, 10), state.lang].join("|");
    if (key === calendarKey) return;
    calendarKey = key;
    const q = "/api/calendar?market=" + encodeURIComponent(ms.join(",")) + "&from=" + from.toISOString().slice(0, 10) +
              "&days=22&lang=" + state.lang;
    try {
      const cal = await api("GET", q);
      box.textContent = "";
      if (!cal.periods.length) box.append(el("p", {"class": "note"}, t("no_periods")));
      cal.periods.forEach((p) => box.append(el("div", {"class": "period"},
        el("div", {"class": "when"}, p.start + (p.end !== p.start ? " – " + p.end : "") + " · " + p.kind_label + " · " + p.markets.join(",")),
        el("strong", {}, p.name), p.guidance ? el("p", {}, p.guidance) : null,
        p.notes.length ? el("small", {}, p.notes.join(" ")) : null)));
    } catch (err) { box.textContent = err.message; calendarKey = ""; }
  }

  // ---------------------------------------------------------------- files and downloads
  function b64(bytes) {
    let s = "";
    for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
    return btoa(s);
  }
  function unb64(text) {
    const bin = atob(text), out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  }
  async function openFile(file) {
    const bytes = new Uint8Array(await file.arrayBuffer());
    state.filename = file.name.replace(/[\\/:]/g, "_") || "draft.txt";
    $("filename").textContent = state.filename;
    state.original = b64(bytes); state.ignore = [];
    let data;
    try {
      data = await api("POST", "/api/check", Object.assign(body(), {data: state.original, text: undefined,
                                                                      scores: true, details: true}));
    } catch (err) { showNotice(err.message, true); return; }
    const d = data.details || {};
    state.encoding = d.encoding && d.encoding !== "unknown" ? d.encoding : null;
    state.originalText = d.source !== undefined ? d.source : "";
    $("draft").value = state.originalText;
    await lint();
  }
  function save(bytes, name, type) {
    const url = URL.createObjectURL(new Blob([bytes], {type: type || "application/octet-stream"}));
    const a = el("a", {href: url, download: name});
    document.body.append(a); a.click(); a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  }
  async function fixAll() {
    try {
      const data = await api("POST", "/api/fix", body({details: true}));
      const fx = data.fix;
      if (fx.warning) showNotice(fx.warning, true);
      if (!fx.applied) { showNotice(fx.warning || t("nothing_to_fix")); return; }
      if (!$("draft").readOnly) {
        state.original = fx.data; state.originalText = fx.text; state.encoding = fx.encoding;
        $("draft").value = fx.text;
      }
      await lint();
      $("status").textContent += " · " + t("fixed_status", {count: fx.applied});
    } catch (err) { showNotice(err.message, true); }
  }
  async function downloadFixed() {
    try {
      const data = await api("POST", "/api/fix", body());
      save(unb64(data.fix.data), state.filename);
    } catch (err) { showNotice(err.message, true); }
  }
  async function downloadReport(format) {
    try {
      const res = await fetch("/api/report", {method: "POST", headers: {"content-type": "application/json"},
                                              body: JSON.stringify(body({format, scores: true}))});
      if (!res.ok) { const e = await res.json(); throw new Error(e.error.message); }
      const name = /filename="([^"]+)"/.exec(res.headers.get("content-disposition") || "");
      save(new Uint8Array(await res.arrayBuffer()), name ? name[1] : "report." + format, res.headers.get("content-type"));
    } catch (err) { showNotice(err.message, true); }
  }

  // ---------------------------------------------------------------- live desk
  let source = null;
  function startLive() {
    const ms = $("live-markets").value.split(/[\s,]+/).filter(Boolean);
    api("POST", "/api/live/session", {markets: ms, lang: state.lang}).then(connectLive).catch((e) => {
      $("live-count").textContent = e.message;
    });
  }
  function connectLive() {
    if (source) source.close();
    source = new EventSource("/api/live/stream");
    source.addEventListener("state", (e) => {
      const s = JSON.parse(e.data);
      $("live-alerts").textContent = "";
      s.alerts.forEach(addAlert); liveScore(s.scores); liveCount(s.events);
      if (!$("live-markets").value && s.markets.length) $("live-markets").value = s.markets.join(",");
    });
    source.addEventListener("reset", () => { $("live-alerts").textContent = ""; liveScore({}); liveCount(0); });
    source.addEventListener("alert", (e) => addAlert(JSON.parse(e.data)));
    source.addEventListener("score", (e) => { const s = JSON.parse(e.data); liveScore(s.scores); liveCount(s.events); });
  }
  function addAlert(a) {
    const when = a.t !== null && a.t !== undefined ? Number(a.t).toFixed(1) + "s" : "";
    $("live-alerts").prepend(el("li", {"class": "sev-" + a.severity},
      el("div", {"class": "head"}, el("b", {}, t("severity_" + a.severity)), " ", when, " ", el("code", {}, a.rule), " [" + a.market + "]"),
      el("div", {}, a.message), el("small", {}, a.caption || "")));
  }
  function liveScore(scores) {
    const first = scores && Object.values(scores)[0];
    $("live-score").textContent = first ? String(Math.round(first.score)) : "–";
    $("live-band").textContent = first ? t("band_" + first.band) : "";
    $("live-band").className = "band " + (first ? first.band : "");
  }
  function liveCount(n) { $("live-count").textContent = t("live_events", {count: n}); }

  // ---------------------------------------------------------------- rules browser
  let rulesTimer = null;
  async function searchRules() {
    const q = new URLSearchParams({lang: state.lang, limit: "100"});
    if ($("rq").value) q.set("q", $("rq").value);
    if ($("rmarket").value) q.set("market", $("rmarket").value);
    if ($("rcategory").value) q.set("category", $("rcategory").value);
    if ($("rlanguage").value) q.set("language", $("rlanguage").value);
    try {
      const data = await api("GET", "/api/rules?" + q);
      const sel = $("rcategory");
      if (sel.options.length <= 1) data.categories.forEach((c) => sel.append(el("option", {value: c}, c)));
      $("rcount").textContent = t("rules_count", {shown: data.rules.length, total: data.total});
      const box = $("rules"); box.textContent = "";
      data.rules.forEach((r) => {
        const ex = el("ul", {});
        r.examples.flag.forEach((x) => ex.append(el("li", {}, "✗ " + x)));
        r.examples.pass.forEach((x) => ex.append(el("li", {}, "✓ " + x)));
        box.append(el("div", {"class": "rule", "data-rule": r.id}, el("h3", {}, r.id),
          el("div", {"class": "meta"}, [t("severity_" + r.severity), r.category, r.kind, r.languages.join(","),
            r.legal ? t("legal") : "", t("fixtures", {flag: r.fixtures.flag, pass: r.fixtures.pass})].filter(Boolean).join(" · ")),
          el("p", {}, r.message), el("details", {}, el("summary", {}, t("why")), el("p", {}, r.why),
            r.source ? el("p", {}, el("small", {}, t("source") + ": " + r.source)) : null,
            r.suggestions.length ? el("p", {}, r.suggestions.map((s) => "→ " + s.text).join("  ")) : null, ex)));
      });
    } catch (err) { $("rcount").textContent = err.message; }
  }

  // ---------------------------------------------------------------- wiring
  function switchTab(name) {
    document.querySelectorAll("nav button").forEach((b) => b.classList.toggle("active", b.dataset.tab === name));
    document.querySelectorAll(".tab").forEach((s) => s.classList.toggle("active", s.id === "tab-" + name));
    if (name === "rules") searchRules();
    if (name === "live" && !source) connectLive();
  }
  async function init() {
    const lang = (new URLSearchParams(location.search).get("lang")) || (navigator.language || "en").slice(0, 2);
    const ui = await loadStrings(lang === "zh" ? "zh" : "en");
    $("ui-lang").value = state.lang;
    const defaults = ui.defaults || {};
    if (defaults.markets && defaults.markets.length) $("markets").value = defaults.markets.join(",");
    api("GET", "/api/markets").then((ms) => ms.forEach((m) => $("market-list").append(el("option", {value: m.market}, m.name))));
    $("draft").addEventListener("input", schedule);
    $("draft").addEventListener("scroll", syncScroll);
    for (const id of ["markets", "platform", "date", "start"]) {
      $(id).addEventListener("change", () => {
        if (id === "markets") state.marketsTouched = true;
        if (id === "date") state.dateTouched = true;
        lint();
      });
    }
    $("ui-lang").addEventListener("change", async (e) => {
      await loadStrings(e.target.value); calendarKey = ""; lint();
      if (document.querySelector("#tab-rules.active")) searchRules();
    });
    $("file").addEventListener("change", (e) => { if (e.target.files[0]) openFile(e.target.files[0]); });
    $("fix-all").addEventListener("click", fixAll);
    $("dl-fixed").addEventListener("click", downloadFixed);
    $("dl-html").addEventListener("click", () => downloadReport("html"));
    $("dl-sarif").addEventListener("click", () => downloadReport("sarif"));
    $("dl-json").addEventListener("click", () => downloadReport("json"));
    $("live-start").addEventListener("click", startLive);
    document.querySelectorAll("nav button").forEach((b) => b.addEventListener("click", () => switchTab(b.dataset.tab)));
    for (const id of ["rq", "rmarket", "rlanguage"]) $(id).addEventListener("input", () => {
      clearTimeout(rulesTimer); rulesTimer = setTimeout(searchRules, 200);
    });
    $("rcategory").addEventListener("change", searchRules);
    new ResizeObserver(syncScroll).observe($("draft"));
    drawRadar($("chart"), null);
    state.ready = true;
    document.body.dataset.ready = "1";
  }
  init().catch((err) => showNotice(err.message, true));
})();
