// The policy-relief panel: how the policy-relief section of an overview appears on tiles, KPIs,
// detail cards, the subdistrict table and the charts. It registers itself in the panel registry.
// Money arrives as integer fen and is shown in yuan (万元 = 10,000 yuan for large sums).
(function (ns) {
  const { num, escapeHtml } = ns.format;

  /** Fen as yuan: ¥72,000 below a million yuan, ¥1.25亿 (hundred million) or ¥312万 above. */
  function yuan(fen) {
    const y = fen / 100;
    if (y >= 1e8) return `¥${(y / 1e8).toFixed(2)}亿`;
    if (y >= 1e6) return `¥${Math.round(y / 1e4).toLocaleString('en-US')}万`;
    return `¥${Math.round(y).toLocaleString('en-US')}`;
  }

  function share(part, whole) {
    return whole > 0 ? `${((100 * part) / whole).toFixed(1)}%` : '–';
  }

  function days(d) {
    return d.paid === 0 ? '–' : `${d.median} d (p90 ${d.p90} d)`;
  }

  const policyReliefPanel = {
    key: 'policyRelief',
    title: 'Policy relief',
    titleZh: '惠企政策',

    /** The big figure of a district tile. */
    headline(f) {
      return { label: 'Relief granted', value: f.grantedFen.total, text: yuan(f.grantedFen.total) };
    },

    /** Small lines of a district tile. */
    tileLines(f) {
      return [
        { id: 'waiting', label: 'Applications waiting', value: num(f.waiting) },
        { id: 'approved', label: 'Approved today', value: num(f.approvals.today) },
      ];
    },

    /** Key figures of the city or one district. */
    kpis(f) {
      return [
        { id: 'applications', label: 'Applications', zh: '申请', value: num(f.applications.today), sub: `${num(f.applications.total)} in all` },
        { id: 'waiting', label: 'Waiting for a decision', zh: '待审批', value: num(f.waiting), sub: 'now' },
        {
          id: 'approvals',
          label: 'Approved',
          zh: '已批准',
          value: num(f.approvals.today),
          sub: `${num(f.approvals.total)} in all, ${num(f.rejections.total)} rejected`,
        },
        { id: 'granted', label: 'Granted', zh: '已核定金额', value: yuan(f.grantedFen.total), sub: `${yuan(f.disbursedFen.total)} paid` },
        { id: 'days-to-money', label: 'Application to money', zh: '兑现时间', value: days(f.daysToMoney), sub: `${num(f.daysToMoney.paid)} paid` },
      ];
    },

    /** Detail cards of one district (or the city): each measure against its budget. */
    detailHtml(f) {
      const rows = f.byMeasure
        .filter((m) => m.applications > 0)
        .map(
          (m) => `<tr><td>${escapeHtml(m.measureId)}</td><td>${escapeHtml(m.area)}</td><td class="num">${num(m.applications)}</td>
            <td class="num">${num(m.approvals)}</td><td class="num">${yuan(m.grantedFen)}</td><td class="num">${yuan(m.disbursedFen)}</td>
            <td class="num muted">${share(m.grantedFen, m.budgetFen)} of ${yuan(m.budgetFen)}</td></tr>`,
        )
        .join('');
      return `
        <div class="card"><h3>Policy relief 惠企政策</h3>
          <table class="mini">
            <tr><th>Measure</th><th>Area</th><th class="num">Applied</th><th class="num">Approved</th><th class="num">Granted</th><th class="num">Paid</th><th class="num">Budget used</th></tr>
            ${rows || '<tr><td colspan="7" class="muted">No applications yet</td></tr>'}
          </table>
          <p class="muted">Ineligible ${num(f.ineligible.total)} · withdrawn ${num(f.withdrawals.total)} · application to money ${days(f.daysToMoney)}</p>
        </div>`;
    },

    /** Columns of the subdistrict table. */
    subdistrictColumns: [
      { label: 'Relief applications', value: (f) => num(f.applications.total) },
      { label: 'Relief granted', value: (f) => yuan(f.grantedFen.total) },
    ],

    /**
     * Charts of the daily series (`days`: [{ day, figures: { policyRelief: { applications, approvals, ... } } }]);
     * none yet (the dashboard's browser test counts the charts on the page).
     */
    charts: [],
  };

  (ns.panels = ns.panels || []).push(policyReliefPanel);
})((window.OpsDashboard = window.OpsDashboard || {}));
