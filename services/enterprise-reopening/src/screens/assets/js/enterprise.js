// An enterprise's page: declare the reopening against its industry's guideline, report the day's
// workforce, file appeals and follow them to their answer. The enterprise is the token's own (`sub`);
// the commission may open one with `?enterprise=<credit code>`.
(function (S) {
  const $ = (id) => document.getElementById(id);
  const { el } = CityKit;
  const APPEAL_STATUSES = { open: ['Being handled', '办理中', 'info'], answered: ['Answered', '已答复', 'good'], closed: ['Closed', '已办结', ''] };

  let api;
  let code;
  let enterprise;
  let guideline;
  let industries = new Map();
  // Kept until the API accepts the form, so that sending it again after a lost answer records it once.
  let declarationId = S.newId('decl');

  CityKit.session({
    storageKey: 'er.token',
    view: 'screen',
    async onSignedIn(signedIn, claims) {
      const asked = new URLSearchParams(location.search).get('enterprise');
      code = asked || (claims.role === 'enterprise' ? claims.sub : null);
      if (!code) throw new Error('this page is for an enterprise’s token (or add ?enterprise=<credit code>)');
      api = signedIn;
      await load();
      $('who').replaceChildren(claims.name || claims.sub);
    },
  });

  async function load() {
    enterprise = await api.get(`/enterprises/${encodeURIComponent(code)}`);
    if (industries.size === 0) industries = new Map((await api.get('/industries')).map((i) => [i.code, i]));
    renderEnterprise();
    const status = enterprise.reopeningStatus;
    const mayDeclare = status === 'not-declared' || status === 'suspended';
    $('declare-card').hidden = !mayDeclare;
    if (mayDeclare) await renderChecklist();
    $('rectify-card').hidden = status !== 'rectification-required';
    if (status === 'rectification-required') renderRectification();
    $('reopen-actions').hidden = status !== 'inspection-passed';
    renderReports();
    await loadAppeals();
  }

  function renderEnterprise() {
    const e = enterprise;
    $('enterprise-name').textContent = e.name;
    $('enterprise-status').replaceChildren(S.statusBadge(e.reopeningStatus));
    const fact = (en, zh, value) => el('div', {}, el('dt', {}, CityKit.bilingual(en, zh)), el('dd', {}, value));
    const industry = industries.get(e.industryCode);
    $('enterprise-facts').replaceChildren(
      fact('Credit code', '统一社会信用代码', e.creditCode),
      fact('Industry', '行业', industry ? CityKit.bilingual(industry.name, industry.nameZh) : e.industryCode),
      fact('Subdistrict', '街道', `${e.subdistrictCode} (${e.districtCode})`),
      fact('Usual headcount', '正常在岗人数', e.usualHeadcount),
      fact('Reopened on', '复工日期', e.reopenedOn || '—'),
    );
    const d = e.declaration;
    if (!d) return $('declaration-state').replaceChildren();
    const inspections = e.inspections.filter((i) => i.declarationId === d.declarationId);
    $('declaration-state').replaceChildren(
      el('h3', {}, CityKit.bilingual(`Declaration ${d.declarationId}`, '复工申报')),
      el(
        'p',
        { class: 'muted' },
        `Planned for ${d.plannedReopeningDate}; checked against guideline v${d.guidelineVersion}; ${d.confirmedMeasures.length} measures confirmed.`,
      ),
      inspections.length === 0
        ? el('p', { class: 'muted' }, 'No inspection yet. 待街道检查。')
        : el(
            'table',
            { class: 'table', id: 'inspections' },
            el(
              'thead',
              {},
              el(
                'tr',
                {},
                el('th', {}, 'Round'),
                el('th', {}, CityKit.bilingual('Outcome', '结果')),
                el('th', {}, CityKit.bilingual('Items', '整改项')),
                el('th', {}, CityKit.bilingual('When', '时间')),
              ),
            ),
            el(
              'tbody',
              {},
              inspections.map((i) =>
                el(
                  'tr',
                  { 'data-outcome': i.outcome },
                  el('td', {}, i.round),
                  el('td', {}, CityKit.bilingual(...S.OUTCOMES[i.outcome])),
                  el('td', {}, i.rectificationItems.join(', ')),
                  el('td', {}, CityKit.cityTime(i.inspectedAt)),
                ),
              ),
            ),
          ),
      d.pendingItems.length > 0 ? el('p', {}, CityKit.bilingual(`To put right by ${d.rectificationDueDate}: ${d.pendingItems.join(', ')}`, '限期整改')) : '',
    );
  }

  async function renderChecklist() {
    guideline = await api.get(`/industries/${encodeURIComponent(enterprise.industryCode)}/guideline`);
    $('guideline-title').textContent = `${guideline.title} (v${guideline.guidelineVersion})`;
    $('checklist').replaceChildren(
      ...guideline.measures.map((m) =>
        el(
          'li',
          { 'data-measure': m.code },
          el('input', { type: 'checkbox', id: `measure-${m.code}`, value: m.code }),
          el(
            'label',
            { for: `measure-${m.code}` },
            m.requirement,
            m.requirementZh ? el('span', { class: 'zh' }, m.requirementZh) : '',
            ' ',
            el('code', {}, m.code),
          ),
        ),
      ),
    );
    if (!$('planned-date').value) $('planned-date').value = CityKit.todayInCity();
  }

  function measureLabel(codeOfMeasure) {
    const m = guideline && guideline.measures.find((x) => x.code === codeOfMeasure);
    return m ? `${m.requirement}${m.requirementZh ? ` ${m.requirementZh}` : ''} (${m.code})` : codeOfMeasure;
  }

  $('declare-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const checklist = guideline.measures.map((m) => ({ measureCode: m.code, inPlace: $(`measure-${m.code}`).checked }));
    for (const li of document.querySelectorAll('#checklist li')) li.classList.remove('missing');
    const body = {
      declarationId,
      plannedReopeningDate: $('planned-date').value,
      checklist,
      workforcePlan: { onSite: Number($('on-site').value), rotating: Number($('rotating').value), remote: Number($('remote').value) },
      returneesInObservation: Number($('returnees').value),
    };
    submit(
      event.submitter,
      $('declare-result'),
      async () => {
        await api.post(`/enterprises/${encodeURIComponent(code)}/declarations`, body);
        declarationId = S.newId('decl');
        await load();
        S.show($('state-result'), 'good', 'Declared: the subdistrict will inspect. 申报成功，等待街道检查。');
      },
      (error) => {
        const missing =
          error instanceof CityKit.ApiError && error.body && error.body.rule === 'checklist-incomplete' ? missingMeasures(error.body.message) : [];
        if (missing.length === 0) return false;
        for (const m of missing) {
          const li = document.querySelector(`#checklist li[data-measure="${CSS.escape(m)}"]`);
          if (li) li.classList.add('missing');
        }
        S.show(
          $('declare-result'),
          'low',
          'Not declared: these required measures are not in place. 以下必备措施尚未落实：',
          missing.map((m) => ({ key: m, label: measureLabel(m) })),
        );
        return true;
      },
    );
  });

  /** The measures a `checklist-incomplete` refusal names ("… not in place: a, b"). */
  function missingMeasures(message) {
    const match = /not in place: (.+)$/.exec(message || '');
    return match
      ? match[1]
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : [];
  }

  function renderRectification() {
    const d = enterprise.declaration;
    $('rectify-items').replaceChildren(
      ...d.pendingItems.map((item) =>
        el(
          'li',
          { 'data-measure': item },
          el('input', { type: 'checkbox', id: `rectified-${item}`, value: item }),
          el('label', { for: `rectified-${item}` }, item),
        ),
      ),
    );
  }

  $('rectify-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const rectifiedItems = [...document.querySelectorAll('#rectify-items input:checked')].map((i) => i.value);
    const note = $('rectify-note').value.trim();
    submit(event.submitter, $('rectify-result'), async () => {
      await api.post(`/enterprises/${encodeURIComponent(code)}/rectifications`, {
        declarationId: enterprise.declaration.declarationId,
        rectifiedItems,
        ...(note ? { note } : {}),
      });
      await load();
      S.show($('state-result'), 'good', 'Rectification submitted for re-inspection. 整改已提交，等待复查。');
    });
  });

  $('report-reopened').addEventListener('click', (event) => {
    submit(event.currentTarget, $('state-result'), async () => {
      await api.post(`/enterprises/${encodeURIComponent(code)}/reopening`);
      await load();
      S.show($('state-result'), 'good', 'Reopened today. 已复工。');
    });
  });

  function renderReports() {
    if (!$('report-date').value) $('report-date').value = CityKit.todayInCity();
    const rows = enterprise.dailyReports.map((r) =>
      el(
        'tr',
        { 'data-day': r.reportDate },
        el('td', {}, r.reportDate),
        el('td', { class: 'num', 'data-field': 'onSite' }, r.onSiteHeadcount),
        el('td', { class: 'num' }, `${r.capacityPercent}%`),
        el('td', { class: 'num' }, r.revision),
      ),
    );
    $('reports').tBodies[0].replaceChildren(...(rows.length ? rows : [el('tr', { class: 'empty' }, el('td', { colspan: 4 }, 'No report yet. 暂无填报。'))]));
  }

  $('report-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const body = { reportDate: $('report-date').value, onSiteHeadcount: Number($('headcount').value), capacityPercent: Number($('capacity').value) };
    submit(event.submitter, $('report-result'), async () => {
      await api.post(`/enterprises/${encodeURIComponent(code)}/daily-reports`, body);
      await load();
      S.show($('report-result'), 'good', `Reported for ${body.reportDate}. 填报成功。`);
    });
  });

  async function loadAppeals() {
    const appeals = await api.get(`/enterprises/${encodeURIComponent(code)}/appeals`);
    const rows = appeals.map((a) => {
      const [en, zh, tone] = APPEAL_STATUSES[a.status];
      return el(
        'tr',
        { 'data-appeal': a.appealId, 'data-status': a.status },
        el(
          'td',
          {},
          el('div', {}, a.subject),
          a.answer ? el('div', { class: 'answer muted', 'data-field': 'answer' }, CityKit.bilingual('Answer: ', '答复：'), a.answer) : '',
          a.status === 'answered'
            ? el(
                'div',
                { class: 'actions' },
                el(
                  'button',
                  { type: 'button', class: 'btn btn-line', 'data-close': 'resolved', onclick: (e) => closeAppeal(e.currentTarget, a.appealId, true) },
                  CityKit.bilingual('Resolved, close', '已解决'),
                ),
                el(
                  'button',
                  { type: 'button', class: 'btn btn-line', 'data-close': 'unresolved', onclick: (e) => closeAppeal(e.currentTarget, a.appealId, false) },
                  CityKit.bilingual('Not resolved, close', '未解决'),
                ),
              )
            : '',
          a.status === 'open' ? '' : reopenForm(a.appealId),
        ),
        el('td', { 'data-field': 'department' }, a.departmentName, a.departmentNameZh ? el('span', { class: 'zh' }, a.departmentNameZh) : ''),
        el(
          'td',
          {},
          el('span', { class: 'badge', 'data-tone': tone }, en, el('span', { class: 'zh' }, zh)),
          a.escalated ? el('div', {}, el('span', { class: 'badge', 'data-tone': 'low' }, 'Escalated', el('span', { class: 'zh' }, '已督办'))) : '',
        ),
        el('td', { 'data-field': 'due' }, CityKit.cityTime(a.dueAt)),
      );
    });
    $('appeals').tBodies[0].replaceChildren(...(rows.length ? rows : [el('tr', { class: 'empty' }, el('td', { colspan: 4 }, 'No appeal. 暂无诉求。'))]));
  }

  /** An answered or closed appeal goes back to its department with the enterprise's reason; a new answer is due. */
  function reopenForm(appealId) {
    const reason = el('input', {
      type: 'text',
      maxlength: '2000',
      'data-field': 'reopen-reason',
      placeholder: 'Why the answer does not solve it · 未解决原因',
    });
    const reopen = (event) =>
      submit(event.currentTarget, $('appeal-result'), async () => {
        if (!reason.value.trim()) throw new Error('say why the answer does not solve it (请填写原因)');
        const receipt = await api.post(`/appeals/${encodeURIComponent(appealId)}/reopen`, { reason: reason.value.trim() });
        await loadAppeals();
        S.show($('appeal-result'), 'good', `Reopened; a new answer is due by ${CityKit.cityTime(receipt.dueAt)}. 诉求已重新提出。`);
      });
    return el(
      'div',
      { class: 'actions' },
      reason,
      el('button', { type: 'button', class: 'btn btn-line', 'data-reopen': appealId, onclick: reopen }, CityKit.bilingual('Reopen', '重新提出')),
    );
  }

  function closeAppeal(button, appealId, resolved) {
    submit(button, $('appeal-result'), async () => {
      await api.post(`/appeals/${encodeURIComponent(appealId)}/close`, { resolved });
      await loadAppeals();
      S.show($('appeal-result'), 'good', 'Appeal closed. 诉求已办结。');
    });
  }

  let appealId = S.newId('appeal');
  $('appeal-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const details = $('appeal-details').value.trim();
    const body = { appealId, category: $('appeal-category').value, subject: $('appeal-subject').value.trim(), ...(details ? { details } : {}) };
    submit(event.submitter, $('appeal-result'), async () => {
      const receipt = await api.post(`/enterprises/${encodeURIComponent(code)}/appeals`, body);
      appealId = S.newId('appeal');
      $('appeal-form').reset();
      await loadAppeals();
      S.show($('appeal-result'), 'good', `Filed; an answer is due by ${CityKit.cityTime(receipt.dueAt)}. 诉求已提交。`);
    });
  });

  $('appeals-refresh').addEventListener('click', () => loadAppeals().catch((error) => S.show($('appeal-result'), 'low', CityKit.describeError(error))));

  /**
   * Runs a form's request with its button disabled; a refusal is shown in `result`
   * unless `onRefused(error)` shows it itself (answers true).
   */
  async function submit(button, result, work, onRefused) {
    if (button) button.disabled = true;
    result.replaceChildren();
    try {
      await work();
    } catch (error) {
      if (!(onRefused && onRefused(error))) S.show(result, 'low', CityKit.describeError(error));
    } finally {
      if (button) button.disabled = false;
    }
  }
})(window.ReopeningScreens);
