// The dashboard: sign-in, the city view (16 district tiles), the drill-down
// to one district and its subdistricts, charts of the daily series, live
// updates over server-sent events, and an "as of" view of any past moment.
(function (ns) {
  const { Api, ApiError, ChartBoard } = ns;
  const { cityLocalToIso, coverageLevel, escapeHtml, isoToCityLocal, setText, timeInCity } = ns.format;
  /** One panel per context (figures.<key>), registered by the panel scripts loaded before this one. */
  const PANELS = ns.panels || [];

  const TOKEN_KEY = 'ops.token';
  const $ = (id) => document.getElementById(id);

  const state = {
    api: null,
    session: null,
    /** { kind: 'city' } or { kind: 'district', code } */
    view: { kind: 'city' },
    /** In the district view: the subdistrict whose series the charts show (null: the whole district). */
    subdistrict: null,
    /** null = live; otherwise an ISO instant */
    asOf: null,
    /** district code → DistrictOverview (live or as of) */
    districts: new Map(),
    cityFigures: null,
    stamp: null,
    stream: null,
    charts: null,
    /** Pending throttled reloads, by kind ('series', 'subdistricts', 'behind'). */
    reloadTimers: {},
  };

  // ---------- sign-in ----------

  async function start() {
    const token = CityKit.takeToken(TOKEN_KEY, '#/');
    if (!token) return showLogin();
    await signIn(token);
  }

  async function signIn(token) {
    const api = new Api(token.trim());
    try {
      state.session = await api.get('/api/me');
    } catch (error) {
      sessionStorage.removeItem(TOKEN_KEY);
      return showLogin(
        error instanceof ApiError && error.status === 401 ? 'This token is not valid or has expired.' : `Cannot reach the service: ${error.message}`,
      );
    }
    sessionStorage.setItem(TOKEN_KEY, token.trim());
    state.api = api;
    $('login').hidden = true;
    $('dashboard').hidden = false;
    $('session-bar').hidden = false;
    const s = state.session;
    $('who').innerHTML =
      `<span class="role">${escapeHtml(s.role)}</span>${s.district ? ` <span class="muted">${escapeHtml(districtName(s.district))}</span>` : ''}`;
    state.charts = new ChartBoard($('charts'), PANELS);
    window.addEventListener('hashchange', route);
    openStream();
    await route();
  }

  function showLogin(message = '') {
    $('dashboard').hidden = true;
    $('session-bar').hidden = true;
    $('login').hidden = false;
    $('login-error').textContent = message;
  }

  function signOut() {
    sessionStorage.removeItem(TOKEN_KEY);
    location.hash = '';
    location.reload();
  }

  // ---------- routing and loading ----------

  function currentView() {
    const match = /^#\/district\/(\d{6})$/.exec(location.hash);
    if (!state.session.cityWide) return { kind: 'district', code: state.session.district || state.session.districts[0]?.code };
    return match ? { kind: 'district', code: match[1] } : { kind: 'city' };
  }

  async function route() {
    state.view = currentView();
    state.subdistrict = null;
    // A new view starts with fresh numbers: nothing to highlight as "changed".
    $('kpis').dataset.ids = '';
    $('kpis').innerHTML = '';
    $('subdistricts').innerHTML = '';
    window.scrollTo(0, 0);
    await loadAll();
  }

  async function loadAll() {
    const at = state.asOf ? { asOf: state.asOf } : {};
    try {
      if (state.view.kind === 'city') {
        const city = await state.api.get('/api/city/overview', at);
        state.cityFigures = city.city;
        for (const d of city.districts) state.districts.set(d.district.code, d);
        state.stamp = city;
        await loadBehind();
      } else {
        const overview = await state.api.get(`/api/districts/${state.view.code}/overview`, at);
        state.districts.set(overview.district.code, overview);
        state.stamp = overview;
        await loadSubdistricts();
      }
      render();
      await loadSeries();
    } catch (error) {
      showProblem(error);
    }
  }

  async function loadSubdistricts() {
    if (state.view.kind !== 'district') return;
    const answer = await state.api.get(`/api/districts/${state.view.code}/subdistricts`, state.asOf ? { asOf: state.asOf } : {});
    renderSubdistricts(answer);
  }

  /** The city view's list of the subdistricts lowest on the headline figure (coverage today). */
  const BEHIND_ROWS = 10;
  async function loadBehind() {
    if (state.view.kind !== 'city') return;
    const answer = await state.api.get('/api/city/subdistricts', state.asOf ? { asOf: state.asOf } : {});
    const [headPanel] = PANELS;
    const ranked = answer.subdistricts
      .map((s) => ({ ...s, headline: headPanel.headline(s.figures[headPanel.key]) }))
      .filter((s) => s.headline.value !== null && s.headline.value !== undefined)
      .sort((a, b) => a.headline.value - b.headline.value || a.code.localeCompare(b.code))
      .slice(0, BEHIND_ROWS);
    const columns = headPanel.subdistrictColumns.filter((c) => c.behind);
    const label = ranked.length ? ranked[0].headline.label.toLowerCase() : 'their headline figure';
    $('behind-hint').textContent = `The ${BEHIND_ROWS} subdistricts and towns lowest on ${label}, of those with active units. Select one for its district.`;
    const head = `<thead><tr><th>Subdistrict / town <span class="zh">街道镇</span></th><th>District <span class="zh">区</span></th>${columns.map((c) => `<th class="num">${escapeHtml(c.label)}</th>`).join('')}</tr></thead>`;
    const rows = ranked.length
      ? ranked
          .map((s) => {
            const f = s.figures[headPanel.key];
            const cells = columns
              .map((c) => `<td class="num"${c.coverage ? ` data-level="${coverageLevel(c.coverage(f))}"` : ''}>${escapeHtml(c.value(f))}</td>`)
              .join('');
            return `<tr data-behind="${escapeHtml(s.code)}" data-district-code="${escapeHtml(s.district)}"><td><div>${escapeHtml(s.name || 'Unregistered subdistrict')}</div><div class="muted small">${escapeHtml(s.code)}</div></td><td>${escapeHtml(districtName(s.district))}</td>${cells}</tr>`;
          })
          .join('')
      : `<tr><td colspan="${columns.length + 2}" class="empty">No subdistrict has active units yet.</td></tr>`;
    $('behind').innerHTML = `${head}<tbody>${rows}</tbody>`;
  }

  async function loadSeries() {
    const district = state.view.kind === 'district' ? state.view.code : undefined;
    const subdistrict = district ? state.subdistrict : null;
    const series = await state.api.get('/api/series', { days: 14, district, subdistrict });
    state.charts.show(series.days);
    const scope = series.subdistrict ? `· ${series.subdistrict.name || series.subdistrict.code}` : '';
    $('series-scope').textContent = scope;
    $('series-whole').hidden = !series.subdistrict;
  }

  /** A subdistrict row selects (or, selected again, deselects) the subdistrict the charts show. */
  function selectSubdistrict(code) {
    state.subdistrict = state.subdistrict === code ? null : code;
    for (const row of document.querySelectorAll('#subdistricts tr[data-subdistrict]'))
      row.classList.toggle('selected', row.dataset.subdistrict === state.subdistrict);
    loadSeries().catch(showProblem);
  }

  /** Live pushes arrive often; reload the heavier parts at most every few seconds. */
  function scheduleReload(kind, delayMs) {
    if (state.reloadTimers[kind]) return;
    const load = { series: loadSeries, subdistricts: loadSubdistricts, behind: loadBehind }[kind];
    state.reloadTimers[kind] = setTimeout(() => {
      state.reloadTimers[kind] = null;
      load().catch(showProblem);
    }, delayMs);
  }

  // ---------- live updates ----------

  function openStream() {
    state.stream = state.api.stream({
      snapshot: (snap) => {
        if (state.asOf) return;
        for (const d of snap.districts) state.districts.set(d.district.code, d);
        if (snap.city) state.cityFigures = snap.city;
        state.stamp = snap;
        render();
      },
      districtOverview: (overview) => {
        if (state.asOf) return;
        state.districts.set(overview.district.code, overview);
        state.stamp = overview;
        if (state.view.kind === 'city' || state.view.code === overview.district.code) {
          render();
          if (state.view.kind === 'district') scheduleReload('subdistricts', 500);
          else scheduleReload('behind', 3000);
          scheduleReload('series', 5000);
        }
      },
      cityFigures: (city) => {
        if (state.asOf) return;
        state.cityFigures = city.figures;
        if (state.view.kind === 'city') renderKpis(city.figures);
      },
      state: (s) => setLiveState(s === 'open' ? 'live' : s),
    });
  }

  function setLiveState(s) {
    const el = $('live-state');
    const shown = state.asOf ? 'paused' : s;
    el.dataset.state = shown;
    el.querySelector('.label').textContent =
      { live: 'Live', retrying: 'Reconnecting…', closed: 'Disconnected', paused: 'History', connecting: 'Connecting…' }[shown] || shown;
  }

  // ---------- rendering ----------

  function render() {
    const cityView = state.view.kind === 'city';
    $('city-view').hidden = !cityView;
    $('district-view').hidden = cityView;
    renderCrumbs();
    renderStamp();
    if (cityView) {
      if (state.cityFigures) renderKpis(state.cityFigures);
      renderTiles();
    } else {
      const overview = state.districts.get(state.view.code);
      if (!overview) return;
      renderKpis(overview.figures);
      $('district-detail').innerHTML = PANELS.map((p) => p.detailHtml(overview.figures[p.key])).join('');
    }
  }

  function renderCrumbs() {
    const crumbs = $('crumbs');
    if (state.view.kind === 'city') {
      crumbs.innerHTML = `<h1>Shanghai <span class="zh">上海市</span></h1>`;
    } else {
      const back = state.session.cityWide ? `<a href="#/" class="crumb-link">Shanghai <span class="zh">上海市</span></a><span class="sep">›</span>` : '';
      crumbs.innerHTML = `${back}<h1>${escapeHtml(districtName(state.view.code))}</h1>`;
    }
  }

  function renderStamp() {
    const s = state.stamp;
    if (!s) return;
    const mode = s.live === false ? '<span class="badge badge-history">History</span>' : '<span class="badge badge-live">Live</span>';
    $('stamp').innerHTML = `${mode} Today = <strong>${escapeHtml(s.day)}</strong> · figures as of ${escapeHtml(timeInCity(s.asOf))}`;
  }

  function renderKpis(figures) {
    const kpis = PANELS.flatMap((p) => p.kpis(figures[p.key]).map((k) => ({ ...k, id: `${p.key}-${k.id}` })));
    const container = $('kpis');
    if (container.dataset.ids !== kpis.map((k) => k.id).join(',')) {
      container.dataset.ids = kpis.map((k) => k.id).join(',');
      container.innerHTML = kpis
        .map(
          (k) =>
            `<div class="kpi" data-kpi="${k.id}"><div class="kpi-label">${escapeHtml(k.label)}</div><div class="kpi-zh">${escapeHtml(k.zh)}</div><div class="kpi-value"></div><div class="kpi-sub"></div></div>`,
        )
        .join('');
    }
    for (const k of kpis) {
      const el = container.querySelector(`[data-kpi="${k.id}"]`);
      setText(el.querySelector('.kpi-value'), k.value);
      setText(el.querySelector('.kpi-sub'), k.sub);
      if (k.coverage !== undefined) el.dataset.level = coverageLevel(k.coverage);
    }
  }

  function renderTiles() {
    const grid = $('district-grid');
    const [headPanel] = PANELS;
    for (const d of state.session.districts) {
      const overview = state.districts.get(d.code);
      if (!overview) continue;
      let tile = grid.querySelector(`[data-district="${d.code}"]`);
      if (!tile) {
        tile = document.createElement('a');
        tile.className = 'tile';
        tile.href = `#/district/${d.code}`;
        tile.dataset.district = d.code;
        tile.innerHTML = `
          <div class="tile-head"><div><div class="tile-name">${escapeHtml(d.name)}</div><div class="tile-zh zh">${escapeHtml(d.nameZh)}</div></div><div class="tile-code">${d.code}</div></div>
          <div class="tile-headline"><span class="tile-big" data-metric="headline"></span><span class="tile-big-label"></span></div>
          <div class="meter"><div class="meter-fill"></div></div>
          <dl class="tile-lines"></dl>`;
        grid.appendChild(tile);
      }
      const headline = headPanel.headline(overview.figures[headPanel.key]);
      setText(tile.querySelector('[data-metric="headline"]'), headline.text);
      tile.querySelector('.tile-big-label').textContent = headline.label;
      tile.dataset.level = coverageLevel(headline.value);
      tile.querySelector('.meter-fill').style.width = `${Math.min(100, (headline.value || 0) * 100).toFixed(1)}%`;
      const lines = PANELS.flatMap((p) => p.tileLines(overview.figures[p.key]).map((l) => ({ ...l, id: `${p.key}-${l.id}` })));
      const dl = tile.querySelector('.tile-lines');
      if (dl.children.length !== lines.length * 2) {
        dl.innerHTML = lines.map((l) => `<dt>${escapeHtml(l.label)}</dt><dd data-metric="${l.id}"></dd>`).join('');
      }
      for (const l of lines) setText(dl.querySelector(`[data-metric="${l.id}"]`), l.value);
    }
  }

  function renderSubdistricts(answer) {
    const columns = PANELS.flatMap((p) => p.subdistrictColumns.map((c) => ({ ...c, key: p.key })));
    const head = `<thead><tr><th>Subdistrict / town <span class="zh">街道镇</span></th>${columns.map((c) => `<th class="num">${escapeHtml(c.label)}</th>`).join('')}</tr></thead>`;
    const rows = answer.subdistricts.length
      ? answer.subdistricts
          .map((s) => {
            const cells = columns
              .map((c) => {
                const f = s.figures[c.key];
                const level = c.coverage ? ` data-level="${coverageLevel(c.coverage(f))}"` : '';
                return `<td class="num"${level}>${escapeHtml(c.value(f))}</td>`;
              })
              .join('');
            const selected = s.code === state.subdistrict ? ' class="selected"' : '';
            return `<tr data-subdistrict="${escapeHtml(s.code)}"${selected} title="Show its last 14 days"><td><div>${escapeHtml(s.name || 'Unregistered subdistrict')}</div><div class="muted small">${escapeHtml(s.code)}</div></td>${cells}</tr>`;
          })
          .join('')
      : `<tr><td colspan="${columns.length + 1}" class="empty">No subdistrict has reported yet.</td></tr>`;
    $('subdistricts').innerHTML = `${head}<tbody>${rows}</tbody>`;
  }

  function showProblem(error) {
    if (error instanceof ApiError && error.status === 401) return showLogin('Your session has expired. Sign in again.');
    $('stamp').innerHTML = `<span class="badge badge-error">Error</span> ${escapeHtml(error.message)}`;
  }

  function districtName(code) {
    const d = state.session.districts.find((x) => x.code === code);
    return d ? `${d.name} ${d.nameZh}` : code;
  }

  // ---------- controls ----------

  $('login-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const token = $('token-input').value.trim();
    if (token) signIn(token);
  });
  $('logout').addEventListener('click', signOut);
  $('asof-input').addEventListener('change', async (e) => {
    const iso = cityLocalToIso(e.target.value);
    state.asOf = iso;
    setLiveState(state.stream && state.stream.readyState === EventSource.OPEN ? 'live' : 'retrying');
    await loadAll();
  });
  $('asof-live').addEventListener('click', async () => {
    state.asOf = null;
    $('asof-input').value = '';
    setLiveState(state.stream && state.stream.readyState === EventSource.OPEN ? 'live' : 'retrying');
    await loadAll();
  });
  // The tables as files, as shown: live, or as of the time chosen above.
  async function exportCsv(path) {
    try {
      await state.api.download(path, state.asOf ? { asOf: state.asOf } : {});
    } catch (error) {
      showProblem(error);
    }
  }
  $('behind').addEventListener('click', (e) => {
    const row = e.target.closest('tr[data-behind]');
    if (row) location.hash = `#/district/${row.dataset.districtCode}`;
  });
  $('subdistricts').addEventListener('click', (e) => {
    const row = e.target.closest('tr[data-subdistrict]');
    if (row) selectSubdistrict(row.dataset.subdistrict);
  });
  $('series-whole').addEventListener('click', () => selectSubdistrict(state.subdistrict));
  $('export-districts').addEventListener('click', () => exportCsv('/api/city/districts.csv'));
  $('export-subdistricts').addEventListener('click', () => exportCsv(`/api/districts/${state.view.code}/subdistricts.csv`));
  $('asof-input').max = isoToCityLocal(new Date().toISOString());

  start();
})((window.OpsDashboard = window.OpsDashboard || {}));
