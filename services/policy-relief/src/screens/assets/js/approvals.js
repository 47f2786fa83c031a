// An issuing office's approval queue: each of its measures with the budget left and the applications waiting, decided without a visit.
(function (R) {
  'use strict';
  const { el, bilingual: label, describeError, cityTime } = CityKit;
  const { yuan, fenOf, checkList, issuerName, amountRuleText } = R;
  const $ = (id) => document.getElementById(id);

  let api = null;
  // The API's last refusal of each application, kept while the queue is drawn again after other decisions.
  const refusals = new Map();

  R.session({
    storageKey: 'relief.approvals.token',
    probe: () => '/approval-queue',
    onSignedIn: async (signedIn, claims) => {
      api = signedIn;
      $('office').replaceChildren(claims.office ? issuerName(claims.office) : claims.sub);
      await load();
    },
  });

  $('reload').addEventListener('click', () => load());

  async function load() {
    try {
      const queue = await api.get('/approval-queue');
      const waiting = queue.reduce((n, m) => n + m.waitingCount, 0);
      $('stamp').textContent = `${waiting} waiting · 待审批 ${waiting} 件 · as of ${cityTime(new Date().toISOString())}`;
      // Measures with applications waiting first.
      const ordered = [...queue].sort((a, b) => Number(b.waitingCount > 0) - Number(a.waitingCount > 0) || a.measureId.localeCompare(b.measureId));
      $('queue').replaceChildren(...ordered.map(measureSection));
      $('page-error').textContent = '';
    } catch (error) {
      $('page-error').textContent = describeError(error);
    }
  }

  function measureSection(m) {
    const usedPct = m.budgetFen > 0 ? Math.min(100, Math.round((Number(m.committedFen) / Number(m.budgetFen)) * 100)) : 100;
    const budget = el(
      'div',
      { class: 'budget' },
      el(
        'div',
        { class: 'budget-figure' },
        el('div', { class: 'fact-label' }, ...label('Budget', '预算')),
        el('div', { class: 'fact-value', text: yuan(m.budgetFen) }),
      ),
      el(
        'div',
        { class: 'budget-figure' },
        el('div', { class: 'fact-label' }, ...label('Committed', '已承诺')),
        el('div', { class: 'fact-value', text: yuan(m.committedFen) }),
      ),
      el(
        'div',
        { class: 'budget-figure' },
        el('div', { class: 'fact-label' }, ...label('Remaining', '剩余预算')),
        el('div', { class: 'fact-value remaining', 'data-remaining': m.remainingFen, text: yuan(m.remainingFen) }),
      ),
      el('div', { class: 'meter', title: `${usedPct}% committed` }, el('div', { class: `meter-fill meter-${Math.min(10, Math.floor(usedPct / 10))}` })),
    );
    const body = m.waiting.length
      ? el(
          'table',
          { class: 'table queue-table' },
          el(
            'thead',
            {},
            el(
              'tr',
              {},
              el('th', {}, ...label('Enterprise', '企业')),
              el('th', {}, ...label('Submitted', '提交时间')),
              el('th', { class: 'num' }, ...label('Requested', '申请金额')),
              el('th', {}, ...label('Eligibility', '资格审查')),
              el('th', {}, ...label('Decision', '审批')),
            ),
          ),
          el(
            'tbody',
            {},
            m.waiting.map((a) => applicationRow(m, a)),
          ),
        )
      : el('p', { class: 'muted small empty', text: 'Nothing waiting · 暂无待审批申请' });
    return el(
      'section',
      { class: 'card queue-measure', 'data-measure': m.measureId },
      el(
        'div',
        { class: 'measure-head' },
        el('div', {}, el('div', { class: 'measure-title' }, `${m.measureId} · ${m.title}`), el('div', { class: 'zh measure-zh', text: m.titleZh })),
        el('span', { class: 'count', 'data-waiting': m.waitingCount }, `${m.waitingCount} waiting · 待审批`),
      ),
      el('div', { class: 'measure-meta muted small' }, `${amountRuleText(m.amountRule)} · open ${m.opensOn} – ${m.closesOn}`),
      budget,
      body,
      m.waitingCount > m.waiting.length &&
        el(
          'p',
          { class: 'muted small more-waiting' },
          `The oldest ${m.waiting.length} of ${m.waitingCount}; decide them to see the next. · 显示最早的 ${m.waiting.length} 件，共 ${m.waitingCount} 件`,
        ),
    );
  }

  function applicationRow(m, a) {
    const id = a.applicationId;
    const error = el('p', { class: 'error small', 'data-error': id, role: 'alert', text: refusals.get(id) || '' });
    const amount = el('input', {
      class: 'amount',
      inputmode: 'decimal',
      autocomplete: 'off',
      placeholder: 'yuan 元',
      'data-amount': id,
      'aria-label': 'Amount to grant, yuan',
    });
    const reason = el('input', {
      class: 'reason-input',
      autocomplete: 'off',
      placeholder: 'Reason 驳回理由',
      'data-reason': id,
      'aria-label': 'Reason for rejecting',
    });
    const decide = async (path, body, button) => {
      error.textContent = '';
      button.disabled = true;
      try {
        await api.post(`/applications/${encodeURIComponent(id)}/${path}`, body);
        refusals.delete(id);
        await load();
      } catch (e) {
        refusals.set(id, describeError(e));
        error.textContent = refusals.get(id);
        button.disabled = false;
      }
    };
    const full = el(
      'button',
      { type: 'button', class: 'btn btn-primary btn-small', 'data-approve': id },
      ...label(`Approve ${yuan(a.requestedFen)}`, '全额批准'),
    );
    full.addEventListener('click', () => decide('approve', {}, full));
    const part = el('button', { type: 'button', class: 'btn btn-plain btn-small', 'data-approve-part': id }, ...label('Approve part', '部分批准'));
    part.addEventListener('click', () => {
      const grantedFen = fenOf(amount.value);
      if (grantedFen === null) return void (error.textContent = 'State the amount to grant in yuan, with at most two decimals · 请填写批准金额');
      decide('approve', { grantedFen }, part);
    });
    const reject = el('button', { type: 'button', class: 'btn btn-danger btn-small', 'data-reject': id }, ...label('Reject', '驳回'));
    reject.addEventListener('click', () => {
      if (!reason.value.trim()) return void (error.textContent = 'Say why the application is rejected · 请填写驳回理由');
      decide('reject', { reason: reason.value.trim() }, reject);
    });
    const f = a.facts;
    return el(
      'tr',
      { 'data-application': id },
      el(
        'td',
        {},
        el('div', { class: 'mono', text: a.enterpriseId }),
        el('div', { class: 'small muted' }, `${a.districtCode} · ${f.size} · ${f.industry} · ${f.headcount} staff · landlord ${f.landlordKind}`),
      ),
      el('td', { text: cityTime(a.submittedAt) }),
      el('td', { class: 'num' }, el('div', { text: yuan(a.requestedFen) }), el('div', { class: 'small muted' }, `max ${yuan(a.maxGrantFen)}`)),
      el('td', {}, checkList(a.eligibility.checks)),
      el(
        'td',
        { class: 'decide' },
        el('div', { class: 'decide-row' }, full),
        el('div', { class: 'decide-row' }, amount, part),
        el('div', { class: 'decide-row' }, reason, reject),
        error,
      ),
    );
  }
})(window.Relief);
