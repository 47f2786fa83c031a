// The community worker's page (/screens/community): the key persons of their residents' committees,
// today's check-ins, open flags; a person's name and phone only on request, for a reason, each read
// recorded by the service in the district's audit trail. A classic script, no framework.
(function (kit) {
  const TOKEN_KEY = 'th.community.token';
  const COMMITTEE_KEY = 'th.community.committee';
  const REFRESH_MS = 60000;
  const $ = (id) => document.getElementById(id);
  const state = { client: null, committees: new Set(), timer: null };

  /** The kit's client (token, JSON, refusals as ApiError with their body), called as this page's code does. */
  const api = (method, path, params, body) => state.client.send(method, kit.withQuery(path, params), body);

  function escapeHtml(s) {
    return String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
  }

  const shortId = (id) => `${id.slice(0, 8)}…`;
  const time = (iso) =>
    iso ? new Date(iso).toLocaleString('en-GB', { timeZone: 'Asia/Shanghai', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' }) : '';

  // ---------- sign-in ----------

  /** Signed in by the kit (a token from the link, this tab's session or the form) once the work list answers it. */
  async function onSignedIn(client, claims) {
    state.client = client;
    await api('GET', '/work-list', { limit: 1 });
    $('who').textContent = [claims.name || claims.sub, claims.subdistrict || claims.district].filter(Boolean).join(' · ');
    const saved = sessionStorage.getItem(COMMITTEE_KEY) || new URLSearchParams(location.search).get('committee') || '';
    if (saved) addCommittees([saved]);
    $('committee').value = saved;
    await load();
    state.timer = setInterval(() => {
      if (document.visibilityState === 'visible') load();
    }, REFRESH_MS);
  }

  /** A token that expires while the page is open: back to the login form, on a fresh page. */
  function signOut() {
    sessionStorage.removeItem(TOKEN_KEY);
    location.reload();
  }

  // ---------- the board ----------

  function addCommittees(codes) {
    const select = $('committee');
    for (const code of codes) {
      if (!code || state.committees.has(code)) continue;
      state.committees.add(code);
      const option = document.createElement('option');
      option.value = code;
      option.textContent = code;
      select.appendChild(option);
    }
  }

  async function load() {
    const committeeCode = $('committee').value;
    const area = committeeCode ? { committeeCode } : {};
    try {
      const [list, checkIns, flags] = await Promise.all([
        api('GET', '/work-list', { ...area, limit: 500 }),
        api('GET', '/check-ins', area),
        api('GET', '/open-flags', area),
      ]);
      $('board-error').hidden = true;
      addCommittees(list.map((e) => e.committeeCode));
      const active = list.filter((e) => e.status !== 'released');
      $('kpi-key').textContent = active.filter((e) => e.status === 'pushed').length;
      $('kpi-observing').textContent = checkIns.people.length;
      $('kpi-due').textContent = checkIns.counts.due + checkIns.counts.overdue;
      $('kpi-missed').textContent = checkIns.counts.missed;
      $('kpi-flags').textContent = flags.length;
      $('check-ins-day').textContent = checkIns.day;
      renderFlags(flags);
      renderCheckIns(checkIns);
      renderWorkList(active);
      $('stamp').textContent = `Updated ${time(new Date().toISOString())} · 更新`;
    } catch (error) {
      if (error.status === 401) return signOut();
      $('board-error').textContent = `Could not load the work list: ${error.message}`;
      $('board-error').hidden = false;
    }
  }

  const FLAG_KINDS = { 'missed-check-in': 'Missed check-in · 漏报', fever: 'Fever · 发热' };
  const STATUSES = { pushed: 'To place in observation · 待管控', observing: 'In home observation · 居家观察', released: 'Released · 已解除' };
  const CHECK_INS = {
    made: 'Done · 已打卡',
    missed: 'Missed · 漏报',
    due: 'Due · 待打卡',
    overdue: 'Overdue · 已超时',
    'not-required': '—',
  };

  function renderFlags(flags) {
    const table = $('flags');
    if (flags.length === 0) {
      table.innerHTML = '<tbody><tr><td class="muted">No open flags. 暂无预警</td></tr></tbody>';
      return;
    }
    table.innerHTML =
      '<thead><tr><th>Person <span class="zh">人员</span></th><th>Committee <span class="zh">居委会</span></th><th>Flag <span class="zh">预警</span></th><th>Raised <span class="zh">时间</span></th><th></th></tr></thead>' +
      `<tbody>${flags
        .map(
          (f) =>
            `<tr data-flag="${escapeHtml(f.flagId)}" data-traveller="${escapeHtml(f.travellerId)}"><td title="${escapeHtml(f.travellerId)}"><code>${escapeHtml(shortId(f.travellerId))}</code></td>` +
            `<td>${escapeHtml(f.committeeCode)}</td><td class="flag-${escapeHtml(f.kind)}">${escapeHtml(FLAG_KINDS[f.kind] || f.kind)}</td><td>${escapeHtml(time(f.raisedAt))}</td>` +
            `<td class="actions"><button type="button" class="btn btn-ghost btn-small" data-resolve>Resolve · 处理完毕</button></td></tr>`,
        )
        .join('')}</tbody>`;
  }

  function slotCell(c) {
    const fever = c.fever ? ' <span class="tag tag-warn">fever 发热</span>' : '';
    return `<td data-status="${escapeHtml(c.status)}" title="Window closes ${escapeHtml(time(c.deadline))}">${escapeHtml(CHECK_INS[c.status] || c.status)}${fever}</td>`;
  }

  function renderCheckIns(day) {
    const table = $('check-ins');
    if (day.people.length === 0) {
      table.innerHTML = '<tbody><tr><td class="muted">Nobody in home observation today. 今日无居家观察人员</td></tr></tbody>';
      return;
    }
    table.innerHTML =
      '<thead><tr><th>Person <span class="zh">人员</span></th><th>Committee <span class="zh">居委会</span></th><th>Day <span class="zh">天数</span></th><th>Morning <span class="zh">上午</span></th><th>Evening <span class="zh">下午</span></th></tr></thead>' +
      `<tbody>${day.people
        .map(
          (p) =>
            `<tr data-traveller="${escapeHtml(p.travellerId)}"><td title="${escapeHtml(p.travellerId)}"><code>${escapeHtml(shortId(p.travellerId))}</code></td><td>${escapeHtml(p.committeeCode)}</td>` +
            `<td class="num">${p.dayOfObservation} / 14</td>${slotCell(p.checkIns.morning)}${slotCell(p.checkIns.evening)}</tr>`,
        )
        .join('')}</tbody>`;
  }

  function renderWorkList(entries) {
    const table = $('work-list');
    if (entries.length === 0) {
      table.innerHTML = '<tbody><tr><td class="muted">No key persons. 暂无重点人员</td></tr></tbody>';
      return;
    }
    table.innerHTML =
      '<thead><tr><th>Person <span class="zh">人员</span></th><th>Committee <span class="zh">居委会</span></th><th>Status <span class="zh">状态</span></th><th>Why a key person <span class="zh">判定依据</span></th><th>Since <span class="zh">推送时间</span></th><th>Name and phone <span class="zh">姓名电话</span></th><th></th></tr></thead>' +
      `<tbody>${entries
        .map((e) => {
          const reasons = e.firedRules.map((r) => `${escapeHtml(r.reason)} (rule ${escapeHtml(r.ruleId)})`).join('; ');
          const version = e.ruleSetVersion ? ` <span class="muted small">rule set ${escapeHtml(e.ruleSetVersion)}</span>` : '';
          const personal = e.erased
            ? '<span class="muted">Erased · 已删除</span>'
            : '<button type="button" class="btn btn-ghost btn-small" data-reveal>Show name &amp; phone · 查看</button>';
          const start =
            e.status === 'pushed' ? '<button type="button" class="btn btn-primary btn-small" data-start>Start observation · 开始居家观察</button>' : '';
          return (
            `<tr data-traveller="${escapeHtml(e.travellerId)}"><td title="${escapeHtml(e.travellerId)}"><code>${escapeHtml(shortId(e.travellerId))}</code></td>` +
            `<td>${escapeHtml(e.committeeCode)}</td><td>${escapeHtml(STATUSES[e.status] || e.status)}${e.openFlags > 0 ? ` <span class="tag tag-warn">${e.openFlags} flag(s)</span>` : ''}</td>` +
            `<td class="reasons">${reasons || '—'}${version}</td><td>${escapeHtml(time(e.pushedAt))}</td>` +
            `<td class="personal">${personal}</td><td class="actions">${start}</td></tr>`
          );
        })
        .join('')}</tbody>`;
  }

  // ---------- actions ----------

  function askReason(cell, travellerId) {
    const form = $('reveal-template').content.firstElementChild.cloneNode(true);
    const previous = cell.innerHTML;
    cell.textContent = '';
    cell.appendChild(form);
    form.querySelector('[data-cancel]').addEventListener('click', () => (cell.innerHTML = previous));
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const reason = form.elements.reason.value;
      form.querySelector('button[type="submit"]').disabled = true;
      try {
        const person = await api('POST', `/travellers/${encodeURIComponent(travellerId)}/personal-data-reads`, {}, { reason });
        cell.innerHTML =
          `<span class="pii-name">${escapeHtml(person.name)}</span> <a class="pii-phone" href="tel:${escapeHtml(person.phone)}">${escapeHtml(person.phone)}</a>` +
          `<div class="muted small">Read recorded ${escapeHtml(time(person.readAt))} · 已留痕</div>`;
      } catch (error) {
        cell.innerHTML = `<span class="error">${escapeHtml(error.status === 409 ? 'Personal data erased · 个人信息已删除' : error.message)}</span>`;
      }
    });
  }

  async function act(button, call) {
    button.disabled = true;
    try {
      await call();
      await load();
    } catch (error) {
      $('board-error').textContent = error.message;
      $('board-error').hidden = false;
      button.disabled = false;
    }
  }

  function onClick(event) {
    const button = event.target.closest('button');
    const row = button && button.closest('tr[data-traveller]');
    if (!row) return;
    const id = encodeURIComponent(row.dataset.traveller);
    if (button.hasAttribute('data-reveal')) askReason(button.closest('td'), row.dataset.traveller);
    else if (button.hasAttribute('data-start')) act(button, () => api('POST', `/travellers/${id}/observation`));
    else if (button.hasAttribute('data-resolve')) act(button, () => api('POST', `/travellers/${id}/flags/${encodeURIComponent(row.dataset.flag)}/resolve`));
  }

  function start() {
    $('refresh').addEventListener('click', load);
    $('committee').addEventListener('change', () => {
      sessionStorage.setItem(COMMITTEE_KEY, $('committee').value);
      load();
    });
    $('board').addEventListener('click', onClick);
    kit.session({ storageKey: TOKEN_KEY, view: 'board', onSignedIn });
  }

  start();
})(window.CityKit);
