// The canvass panel ("five responsibilities, one network"): how the canvass
// section of an overview appears on tiles, KPIs, detail cards, the
// subdistrict table and the charts. It registers itself in the panel registry.
(function (ns) {
  const { hours, num, percent } = ns.format;

  const UNIT_KINDS = [
    ['street-block', 'Street blocks', '沿街商铺'],
    ['office-building', 'Office buildings', '商务楼宇'],
    ['residential-building-group', 'Residential buildings', '居民楼组'],
    ['village-group', 'Village groups', '村组'],
    ['market', 'Markets', '市场'],
  ];

  const PROBLEM_CATEGORIES = [
    ['prevention-supplies', 'Prevention supplies', '防疫物资'],
    ['unregistered-returnee', 'Unregistered returnees', '未登记返沪人员'],
    ['gathering', 'Gatherings', '聚集'],
    ['sanitation', 'Sanitation', '环境卫生'],
    ['business-operation', 'Business operation', '经营问题'],
    ['other', 'Other', '其他'],
  ];

  const SERVICE_KINDS = [
    ['groceries', 'Groceries', '代购'],
    ['delivery', 'Deliveries', '代递'],
    ['medicine', 'Medicine', '配药'],
  ];

  const canvassPanel = {
    key: 'canvass',
    title: 'Canvass',
    titleZh: '网格排查',

    /** The big figure of a district tile. */
    headline(f) {
      return { label: 'Coverage today', value: f.units.coverageToday, text: percent(f.units.coverageToday) };
    },

    /** Small lines of a district tile. */
    tileLines(f) {
      return [
        { id: 'canvassed', label: 'Canvassed / units', value: `${num(f.units.canvassedToday)} / ${num(f.units.active)}` },
        { id: 'returnees', label: 'Returnees found', value: num(f.returnedFromOutside.today) },
        { id: 'gate-hours', label: 'Gate-duty hours', value: hours(f.gateDuty.hours.today) },
        { id: 'services', label: 'Doorstep services', value: num(f.doorstepServices.today) },
      ];
    },

    /** Key figures of the city or one district. */
    kpis(f) {
      return [
        {
          id: 'coverage',
          label: 'Coverage today',
          zh: '今日覆盖率',
          value: percent(f.units.coverageToday),
          sub: `${num(f.units.canvassedToday)} of ${num(f.units.active)} units`,
          coverage: f.units.coverageToday,
        },
        {
          id: 'households',
          label: 'Households canvassed',
          zh: '排查户数',
          value: num(f.householdsCanvassed.today),
          sub: `${num(f.householdsCanvassed.total)} in all`,
        },
        {
          id: 'returnees',
          label: 'Returnees found',
          zh: '返沪人员',
          value: num(f.returnedFromOutside.today),
          sub: `${num(f.returnedFromOutside.total)} in all`,
        },
        { id: 'observation', label: 'In home observation', zh: '居家观察', value: num(f.inHomeObservation), sub: 'now, at latest visits' },
        { id: 'problems', label: 'Problems found', zh: '发现问题', value: num(f.problems.today), sub: `${num(f.problems.total)} in all` },
        {
          id: 'gate-hours',
          label: 'Gate-duty hours',
          zh: '值守时长',
          value: hours(f.gateDuty.hours.today),
          sub: `${num(f.gateDuty.peopleChecked.today)} people checked`,
        },
        {
          id: 'services',
          label: 'Doorstep services',
          zh: '上门服务',
          value: num(f.doorstepServices.today),
          sub: `${num(f.doorstepServices.households.today)} households served`,
        },
      ];
    },

    /** Detail cards of one district. */
    detailHtml(f) {
      const kindRows = UNIT_KINDS.map(([kind, label, zh]) => {
        const k = f.units.byKind[kind] || { active: 0, canvassedToday: 0, coverageToday: null };
        return bar(`${label} <span class="zh">${zh}</span>`, k.coverageToday, `${num(k.canvassedToday)} / ${num(k.active)}`);
      }).join('');
      const maxProblems = Math.max(1, ...PROBLEM_CATEGORIES.map(([c]) => (f.problems.byCategory[c] || { today: 0 }).today));
      const problemRows = PROBLEM_CATEGORIES.map(([c, label, zh]) => {
        const p = f.problems.byCategory[c] || { today: 0, total: 0 };
        return bar(`${label} <span class="zh">${zh}</span>`, p.today / maxProblems, `${num(p.today)} <span class="muted">/ ${num(p.total)}</span>`, 'neutral');
      }).join('');
      const serviceRows = SERVICE_KINDS.map(([k, label, zh]) => {
        const s = f.doorstepServices.byKind[k] || { today: 0, total: 0 };
        return `<tr><td>${label} <span class="zh">${zh}</span></td><td class="num">${num(s.today)}</td><td class="num muted">${num(s.total)}</td></tr>`;
      }).join('');
      return `
        <div class="card"><h3>Coverage by unit kind <span class="zh">分类覆盖</span></h3>${kindRows}</div>
        <div class="card"><h3>Problems found today <span class="zh">今日发现问题</span></h3>${problemRows}</div>
        <div class="card"><h3>Gate duty and services <span class="zh">值守与服务</span></h3>
          <table class="mini">
            <tr><th></th><th class="num">Today</th><th class="num">In all</th></tr>
            <tr><td>Gate shifts <span class="zh">值守班次</span></td><td class="num">${num(f.gateDuty.shifts.today)}</td><td class="num muted">${num(f.gateDuty.shifts.total)}</td></tr>
            <tr><td>Gate-duty hours <span class="zh">值守时长</span></td><td class="num">${hours(f.gateDuty.hours.today)}</td><td class="num muted">${hours(f.gateDuty.hours.total)}</td></tr>
            <tr><td>People checked <span class="zh">检查人数</span></td><td class="num">${num(f.gateDuty.peopleChecked.today)}</td><td class="num muted">${num(f.gateDuty.peopleChecked.total)}</td></tr>
            <tr><td>People registered <span class="zh">登记人数</span></td><td class="num">${num(f.gateDuty.peopleRegistered.today)}</td><td class="num muted">${num(f.gateDuty.peopleRegistered.total)}</td></tr>
            ${serviceRows}
          </table>
        </div>`;
    },

    /** Columns of the subdistrict table. */
    subdistrictColumns: [
      { label: 'Active units', value: (f) => num(f.units.active), behind: true },
      { label: 'Canvassed today', value: (f) => num(f.units.canvassedToday), behind: true },
      { label: 'Coverage', value: (f) => percent(f.units.coverageToday), coverage: (f) => f.units.coverageToday, behind: true },
      { label: 'Households canvassed', value: (f) => num(f.householdsCanvassed.today) },
      { label: 'Returnees found', value: (f) => num(f.returnedFromOutside.today) },
      { label: 'In home observation', value: (f) => num(f.inHomeObservation) },
      { label: 'Problems found', value: (f) => num(f.problems.today) },
      { label: 'Gate-duty hours', value: (f) => hours(f.gateDuty.hours.today) },
      { label: 'Doorstep services', value: (f) => num(f.doorstepServices.today) },
    ],

    /** Charts of the daily series (`days`: [{ day, figures: { canvass } }]). */
    charts: [
      {
        id: 'canvass-coverage',
        title: 'Coverage and units canvassed',
        zh: '覆盖率与排查单元',
        config: (days) => ({
          data: {
            labels: days.map((d) => d.day.slice(5)),
            datasets: [
              {
                type: 'bar',
                label: 'Units canvassed',
                data: days.map((d) => d.figures.canvass.unitsCanvassed),
                backgroundColor: 'rgba(37, 99, 235, 0.55)',
                borderRadius: 3,
                yAxisID: 'y',
              },
              {
                type: 'line',
                label: 'Coverage %',
                data: days.map((d) => (d.figures.canvass.coverage === null ? null : Math.round(d.figures.canvass.coverage * 1000) / 10)),
                borderColor: '#0f766e',
                backgroundColor: '#0f766e',
                tension: 0.3,
                yAxisID: 'y1',
              },
            ],
          },
          options: {
            scales: {
              y: { beginAtZero: true, title: { display: true, text: 'units' } },
              y1: { position: 'right', min: 0, max: 100, grid: { drawOnChartArea: false }, title: { display: true, text: '%' } },
            },
          },
        }),
      },
      {
        id: 'canvass-findings',
        title: 'Returnees, problems and services',
        zh: '返沪人员、问题与服务',
        config: (days) => ({
          data: {
            labels: days.map((d) => d.day.slice(5)),
            datasets: [
              {
                type: 'line',
                label: 'Returnees found',
                data: days.map((d) => d.figures.canvass.returnedFromOutside),
                borderColor: '#b45309',
                backgroundColor: '#b45309',
                tension: 0.3,
              },
              {
                type: 'line',
                label: 'Problems found',
                data: days.map((d) => d.figures.canvass.problems),
                borderColor: '#be123c',
                backgroundColor: '#be123c',
                tension: 0.3,
              },
              {
                type: 'line',
                label: 'Doorstep services',
                data: days.map((d) => d.figures.canvass.doorstepServices),
                borderColor: '#7c3aed',
                backgroundColor: '#7c3aed',
                tension: 0.3,
              },
            ],
          },
          options: { scales: { y: { beginAtZero: true } } },
        }),
      },
      {
        id: 'canvass-gate',
        title: 'Gate-duty hours',
        zh: '值守时长',
        config: (days) => ({
          data: {
            labels: days.map((d) => d.day.slice(5)),
            datasets: [
              { type: 'bar', label: 'Hours', data: days.map((d) => d.figures.canvass.gateHours), backgroundColor: 'rgba(15, 118, 110, 0.6)', borderRadius: 3 },
            ],
          },
          options: { scales: { y: { beginAtZero: true } } },
        }),
      },
    ],
  };

  function bar(label, ratio, valueHtml, tone) {
    const width = ratio === null || ratio === undefined ? 0 : Math.max(0, Math.min(1, ratio)) * 100;
    const cls = tone || (ratio === null ? 'none' : ratio >= 0.7 ? 'good' : ratio >= 0.3 ? 'fair' : 'low');
    return `<div class="bar-row"><div class="bar-label">${label}</div><div class="bar-track"><div class="bar-fill ${cls}" style="width:${width.toFixed(1)}%"></div></div><div class="bar-value">${valueHtml}</div></div>`;
  }

  (ns.panels = ns.panels || []).push(canvassPanel);
})((window.OpsDashboard = window.OpsDashboard || {}));
