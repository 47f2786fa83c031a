// An enterprise's page: the measures open to it with the answer it would get, applying, and its applications up to the money.
(function (R) {
  'use strict';
  const { el, bilingual: label, describeError, cityTime } = CityKit;
  const { yuan, fenOf, statusChip, checkList, issuerName, amountRuleText } = R;
  const $ = (id) => document.getElementById(id);

  // Who the enterprise rents from, as it last said in this tab: the answers it is shown depend on it.
  const LANDLORD_KEY = 'relief.enterprise.landlord';
  let api = null;
  let enterpriseId = null;
  let measures = new Map();
  let applying = null;

  R.session({
    storageKey: 'relief.enterprise.token',
    probe: (claims) => `/enterprises/${encodeURIComponent(claims.sub)}/measures`,
    onSignedIn: async (signedIn, claims) => {
      api = signedIn;
      enterpriseId = claims.sub;
      $('landlord').value = sessionStorage.getItem(LANDLORD_KEY) || '';
      await refresh();
    },
  });

  async function refresh() {
    $('page-error').textContent = '';
    try {
      await Promise.all([loadMeasures(), loadApplications()]);
    } catch (error) {
      $('page-error').textContent = describeError(error);
    }
  }

  // ---- measures

  async function loadMeasures() {
    const landlord = $('landlord').value;
    const data = await api.get(`/enterprises/${encodeURIComponent(enterpriseId)}/measures${landlord ? `?landlordKind=${landlord}` : ''}`);
    measures = new Map(data.measures.map((m) => [m.measureId, m]));
    renderEnterprise(data);
    const open = data.measures.filter((m) => m.open);
    const closed = data.measures.length - open.length;
    $('today').textContent = `Today ${data.today} · ${open.length} open, ${closed} closed or not yet open`;
    // Those it may apply to and would pass first, then the undecided, then the rest.
    const rank = (m) => (m.mayApply ? 0 : 3) + (m.preview && m.preview.eligible === true ? 0 : m.preview && m.preview.eligible === null ? 1 : 2);
    $('measures').replaceChildren(...open.sort((a, b) => rank(a) - rank(b) || a.measureId.localeCompare(b.measureId)).map(measureCard));
  }

  function renderEnterprise(data) {
    const e = data.enterprise;
    if (!e) {
      $('enterprise').replaceChildren(
        el('h3', {}, ...label('Your enterprise', '企业信息')),
        el(
          'p',
          { class: 'error', id: 'not-known' },
          `Enterprise ${data.enterpriseId} is not known to policy relief yet: its registration for reopening reaches this service shortly. Try again in a moment. · 企业信息尚未同步，请稍后再试`,
        ),
      );
      return;
    }
    const fact = (en, zh, value, key) =>
      el('div', { class: 'fact' }, el('div', { class: 'fact-label' }, ...label(en, zh)), el('div', { class: 'fact-value', 'data-fact': key, text: value }));
    $('enterprise').replaceChildren(
      el('h3', {}, ...label('Your enterprise', '企业信息')),
      el(
        'div',
        { class: 'facts-grid' },
        fact('Credit code', '统一社会信用代码', e.enterpriseId, 'enterpriseId'),
        fact('District', '所在区', e.districtCode, 'district'),
        fact('Size', '企业规模', e.size, 'size'),
        fact('Industry', '行业', e.industry, 'industry'),
        fact('Reopening', '复工状态', e.reopeningStatus, 'reopening'),
        fact('Usual headcount', '职工人数', String(e.headcount), 'headcount'),
      ),
    );
  }

  function measureCard(m) {
    const eligible = m.preview ? m.preview.eligible : null;
    const verdict = !m.preview
      ? null
      : eligible === true
        ? el('span', { class: 'verdict verdict-pass' }, ...label('You qualify', '符合条件'))
        : eligible === false
          ? el('span', { class: 'verdict verdict-fail' }, ...label('You do not qualify', '不符合条件'))
          : el('span', { class: 'verdict verdict-open' }, ...label('Depends on your landlord', '取决于房东类型'));
    return el(
      'article',
      { class: 'card measure', 'data-measure': m.measureId },
      el(
        'div',
        { class: 'measure-head' },
        el('div', {}, el('div', { class: 'measure-title' }, `${m.measureId} · ${m.title}`), el('div', { class: 'zh measure-zh', text: m.titleZh })),
        verdict,
      ),
      el(
        'div',
        { class: 'measure-meta muted small' },
        `${issuerName(m.issuer)} · ${amountRuleText(m.amountRule)} · closes ${m.closesOn}`,
        m.maxGrantFen !== null ? ` · at most ${yuan(m.maxGrantFen)} for you` : '',
      ),
      m.preview ? checkList(m.preview.checks) : null,
      el(
        'div',
        { class: 'measure-actions' },
        m.application ? el('span', { class: 'muted small' }, 'Your application 我的申请: ', statusChip(m.application.status)) : null,
        m.mayApply
          ? el(
              'button',
              { type: 'button', class: 'btn btn-primary btn-small', 'data-apply': m.measureId, onclick: () => openApply(m) },
              ...label(m.application ? 'Apply again' : 'Apply', m.application ? '重新申请' : '申请'),
            )
          : null,
      ),
    );
  }

  $('landlord').addEventListener('change', () => {
    sessionStorage.setItem(LANDLORD_KEY, $('landlord').value);
    refresh();
  });

  // ---- applying

  function openApply(m) {
    applying = m;
    const rent = m.amountRule.kind === 'rent-months';
    $('apply-title').replaceChildren(`Apply to ${m.measureId} · ${m.title} `, el('span', { class: 'zh', text: m.titleZh }));
    $('apply-rent').hidden = !rent;
    $('apply-rent-label').hidden = !rent;
    $('apply-rent').value = '';
    $('apply-amount').value = m.maxGrantFen !== null ? yuan(m.maxGrantFen).replace(/[¥,]/g, '') : '';
    if ($('landlord').value) $('apply-landlord').value = $('landlord').value;
    $('apply-error').textContent = '';
    $('apply').hidden = false;
    $('apply').scrollIntoView({ block: 'nearest' });
  }

  $('apply-cancel').addEventListener('click', () => {
    $('apply').hidden = true;
    applying = null;
  });

  $('apply-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!applying) return;
    const requestedFen = fenOf($('apply-amount').value);
    if (requestedFen === null) return void ($('apply-error').textContent = 'The amount must be in yuan with at most two decimals (fen) · 金额最多两位小数');
    const body = { measureId: applying.measureId, enterpriseId, landlordKind: $('apply-landlord').value, requestedFen };
    if (applying.amountRule.kind === 'rent-months') {
      const monthlyRentFen = fenOf($('apply-rent').value);
      if (monthlyRentFen === null) return void ($('apply-error').textContent = 'State the monthly rent in yuan · 请填写月租金');
      body.monthlyRentFen = monthlyRentFen;
    }
    $('apply-submit').disabled = true;
    try {
      const receipt = await api.post('/applications', body);
      $('apply').hidden = true;
      showAnswer(receipt.application);
      applying = null;
      await refresh();
    } catch (error) {
      $('apply-error').textContent = describeError(error);
    } finally {
      $('apply-submit').disabled = false;
    }
  });

  /** The eligibility answer of an application, rule by rule. */
  function showAnswer(application) {
    const s = application.submitted;
    const eligible = s.eligibility.eligible;
    $('answer').replaceChildren(
      el('h3', {}, `Answer for ${application.applicationId} `, statusChip(application.status)),
      el(
        'p',
        { class: eligible ? 'verdict verdict-pass' : 'verdict verdict-fail', id: 'answer-verdict' },
        eligible
          ? `Eligible under ${s.measureId} v${s.eligibility.measureVersion}: waiting for the ${issuerName(s.issuer)} to decide, without a visit. · 符合条件，等待审批`
          : `Not eligible under ${s.measureId} v${s.eligibility.measureVersion}: the rules marked ✗ say why. · 不符合条件，原因见下`,
      ),
      el('p', { class: 'muted small' }, `Requested ${yuan(s.requestedFen)} · at most ${yuan(s.maxGrantFen)} under the measure’s amount rule`),
      checkList(s.eligibility.checks),
    );
    $('answer').hidden = false;
  }

  // ---- applications, up to the money

  async function loadApplications() {
    const list = await api.get('/applications');
    const details = await Promise.all(list.map((a) => api.get(`/applications/${encodeURIComponent(a.applicationId)}`)));
    const head = el(
      'thead',
      {},
      el(
        'tr',
        {},
        el('th', {}, ...label('Measure', '政策')),
        el('th', {}, ...label('Submitted', '提交时间')),
        el('th', {}, ...label('Status', '状态')),
        el('th', { class: 'num' }, ...label('Requested', '申请金额')),
        el('th', { class: 'num' }, ...label('Approved', '批准金额')),
        el('th', { class: 'num' }, ...label('Paid', '已拨付')),
        el('th', {}, ...label('Payments and decision', '拨付与审批意见')),
        el('th', {}),
      ),
    );
    const rows = details.length
      ? details.map(applicationRow)
      : [el('tr', {}, el('td', { colspan: 8, class: 'muted', text: 'No applications yet · 暂无申请' }))];
    $('applications').replaceChildren(head, el('tbody', {}, rows));
  }

  function applicationRow(a) {
    const s = a.submitted;
    const m = measures.get(s.measureId);
    const payments = a.disbursements.map((d) =>
      el('div', { class: 'payment', 'data-reference': d.reference }, `${d.disbursedOn} · ${yuan(d.amountFen)} · ref ${d.reference}`),
    );
    const decision = a.approved
      ? el(
          'div',
          { class: 'small muted' },
          `Approved ${cityTime(a.approved.approvedAt)}${a.approved.partial ? ' in part · 部分批准' : ''}${a.approved.note ? ` — ${a.approved.note}` : ''}`,
        )
      : a.rejected
        ? el('div', { class: 'small reason', 'data-rejected': '' }, `Rejected ${cityTime(a.rejected.rejectedAt)}: ${a.rejected.reason}`)
        : a.status === 'ineligible'
          ? el(
              'div',
              { class: 'small reason' },
              s.eligibility.checks
                .filter((c) => !c.passed)
                .map((c) => c.reason)
                .join('; '),
            )
          : null;
    return el(
      'tr',
      { 'data-application': a.applicationId },
      el('td', {}, el('div', {}, `${s.measureId} · ${m ? m.title : ''}`), m ? el('div', { class: 'zh small', text: m.titleZh }) : null),
      el('td', { text: cityTime(s.submittedAt) }),
      el('td', {}, statusChip(a.status)),
      el('td', { class: 'num', text: yuan(s.requestedFen) }),
      el('td', { class: 'num', 'data-granted': a.approved ? a.approved.grantedFen : '', text: a.approved ? yuan(a.approved.grantedFen) : '—' }),
      el('td', { class: 'num', 'data-disbursed': a.disbursedFen, text: yuan(a.disbursedFen) }),
      el('td', {}, payments, decision),
      el(
        'td',
        {},
        el(
          'button',
          { type: 'button', class: 'btn btn-plain btn-small', 'data-why': a.applicationId, onclick: () => showAnswer(a) },
          ...label('Why', '资格说明'),
        ),
        a.status === 'submitted'
          ? el(
              'button',
              { type: 'button', class: 'btn btn-danger btn-small', 'data-withdraw': a.applicationId, onclick: () => withdraw(a.applicationId) },
              ...label('Withdraw', '撤回'),
            )
          : null,
      ),
    );
  }

  async function withdraw(applicationId) {
    $('page-error').textContent = '';
    try {
      await api.post(`/applications/${encodeURIComponent(applicationId)}/withdraw`, {});
      await refresh();
    } catch (error) {
      $('page-error').textContent = describeError(error);
    }
  }
})(window.Relief);
