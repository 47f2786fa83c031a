// A subdistrict inspector's queue: declarations to inspect (and rectifications resubmitted), oldest
// first, and the rectifications due in the district; an inspection is recorded from the queue.
(function (S) {
  const $ = (id) => document.getElementById(id);
  const { el } = CityKit;

  let api;
  let selected;
  // One id per opened form: sending it again after a lost answer records the inspection once.
  let inspectionId;

  CityKit.session({
    storageKey: 'er.token',
    view: 'screen',
    async onSignedIn(signedIn, claims) {
      api = signedIn;
      await load();
      $('who').replaceChildren(claims.name || claims.sub);
      $('scope').textContent = claims.district ? `District ${claims.district} · 本区` : 'Whole city · 全市';
    },
  });

  /** The guideline versions of each industry seen, to name measures as the declaration's version words them. */
  const guidelines = new Map();

  async function learnGuidelines(entries) {
    const missing = [...new Set(entries.map((e) => e.industryCode))].filter((code) => !guidelines.has(code));
    const versions = await Promise.all(missing.map((code) => api.get(`/industries/${encodeURIComponent(code)}/guideline/versions`)));
    missing.forEach((code, i) => guidelines.set(code, versions[i]));
  }

  function measureOf(entry, code) {
    const version = (guidelines.get(entry.industryCode) || []).find((g) => g.guidelineVersion === entry.guidelineVersion);
    return version && version.measures.find((m) => m.code === code);
  }

  /** A measure as the inspector reads it: its requirement, the Chinese beside it. */
  function measureLabel(entry, code) {
    const m = measureOf(entry, code);
    return m ? [m.requirement, m.requirementZh ? el('span', { class: 'zh' }, m.requirementZh) : '', ' ', el('code', {}, code)] : [code];
  }

  async function load() {
    const queue = await api.get('/inspection-queue');
    await learnGuidelines([...queue.toInspect, ...queue.rectificationsDue]);
    $('to-inspect-count').textContent = queue.toInspect.length;
    $('rectifications-count').textContent = queue.rectificationsDue.length;
    const inspectRows = queue.toInspect.map((e) =>
      el(
        'tr',
        { 'data-enterprise': e.creditCode, class: selected && selected.creditCode === e.creditCode ? 'selected' : '' },
        el('td', {}, el('div', {}, e.name), el('div', { class: 'muted small' }, `${e.creditCode} · ${e.industryCode}`)),
        el('td', {}, e.subdistrictCode),
        el('td', {}, e.plannedReopeningDate),
        el('td', {}, CityKit.cityTime(e.waitingSince)),
        el(
          'td',
          {},
          e.rounds === 0 ? CityKit.bilingual('First', '首次') : CityKit.bilingual(`Re-inspection ${e.rounds + 1}`, '复查'),
          el('div', {}, S.statusBadge(e.reopeningStatus)),
        ),
        el(
          'td',
          {},
          el(
            'button',
            { type: 'button', class: 'btn btn-line', 'data-inspect': e.creditCode, onclick: () => openInspection(e) },
            CityKit.bilingual('Inspect', '检查'),
          ),
        ),
      ),
    );
    $('to-inspect').tBodies[0].replaceChildren(...(inspectRows.length ? inspectRows : [empty(6, 'Nothing to inspect. 暂无待检查企业。')]));
    const dueRows = queue.rectificationsDue.map((e) =>
      el(
        'tr',
        { 'data-enterprise': e.creditCode },
        el('td', {}, el('div', {}, e.name), el('div', { class: 'muted small' }, e.creditCode)),
        el('td', {}, e.subdistrictCode),
        el(
          'td',
          {},
          el(
            'ul',
            { class: 'items' },
            e.rectificationItems.map((item) => el('li', { 'data-measure': item }, measureLabel(e, item))),
          ),
        ),
        el(
          'td',
          {},
          e.rectificationDueDate,
          e.overdue ? el('div', {}, el('span', { class: 'badge', 'data-tone': 'low' }, 'Overdue', el('span', { class: 'zh' }, '已逾期'))) : '',
        ),
      ),
    );
    $('rectifications-due').tBodies[0].replaceChildren(...(dueRows.length ? dueRows : [empty(4, 'No rectification due. 暂无待整改企业。')]));
  }

  function empty(columns, text) {
    return el('tr', { class: 'empty' }, el('td', { colspan: columns }, text));
  }

  function openInspection(entry) {
    selected = entry;
    inspectionId = S.newId('insp');
    $('inspect-form').reset();
    $('inspect-result').replaceChildren();
    $('inspect-enterprise').textContent = `${entry.name} (${entry.creditCode})`;
    $('rectification-items').replaceChildren(
      ...entry.confirmedMeasures.map((m) =>
        el(
          'li',
          { 'data-measure': m },
          el('input', { type: 'checkbox', id: `item-${m}`, value: m }),
          el('label', { for: `item-${m}` }, measureLabel(entry, m)),
        ),
      ),
    );
    toggleRectification();
    $('inspect-card').hidden = false;
    for (const row of document.querySelectorAll('#to-inspect tr[data-enterprise]'))
      row.classList.toggle('selected', row.getAttribute('data-enterprise') === entry.creditCode);
    $('inspect-card').scrollIntoView({ block: 'nearest' });
  }

  function outcome() {
    return document.querySelector('#outcomes input:checked').value;
  }

  function toggleRectification() {
    $('rectification-fields').hidden = outcome() === 'passed';
  }

  $('outcomes').addEventListener('change', toggleRectification);

  $('inspect-cancel').addEventListener('click', closeInspection);

  function closeInspection() {
    selected = undefined;
    $('inspect-card').hidden = true;
    for (const row of document.querySelectorAll('#to-inspect tr.selected')) row.classList.remove('selected');
  }

  $('inspect-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const chosen = outcome();
    const items = [...document.querySelectorAll('#rectification-items input:checked')].map((i) => i.value);
    const findings = $('findings').value.trim();
    const body = {
      inspectionId,
      declarationId: selected.declarationId,
      outcome: chosen,
      ...(chosen !== 'passed' && items.length ? { rectificationItems: items } : {}),
      ...(chosen === 'rectification-required' && $('due-date').value ? { rectificationDueDate: $('due-date').value } : {}),
      ...(findings ? { findings } : {}),
    };
    const button = event.submitter;
    button.disabled = true;
    try {
      await api.post(`/enterprises/${encodeURIComponent(selected.creditCode)}/inspections`, body);
      const name = selected.name;
      closeInspection();
      await load();
      const [en, zh] = S.OUTCOMES[chosen];
      S.show($('queue-result'), 'good', `${name}: ${en} · ${zh}`);
    } catch (error) {
      S.show($('inspect-result'), 'low', CityKit.describeError(error));
    } finally {
      button.disabled = false;
    }
  });

  $('refresh').addEventListener('click', () => load().catch((error) => S.show($('queue-result'), 'low', CityKit.describeError(error))));
})(window.ReopeningScreens);
