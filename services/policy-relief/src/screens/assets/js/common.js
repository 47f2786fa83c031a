// What both relief screens share beyond the kit (window.CityKit): money in yuan from integer fen, the relief's labels and sign-in.
(function (ns, kit) {
  'use strict';
  const { el } = kit;

  // ---- money: integer fen in, exact yuan out (BigInt: no floating point anywhere)

  /** 7200000 → "¥72,000.00". */
  function yuan(fen) {
    if (fen === null || fen === undefined) return '—';
    const v = BigInt(fen);
    const sign = v < 0n ? '-' : '';
    const abs = v < 0n ? -v : v;
    return `${sign}¥${(abs / 100n).toLocaleString('en-US')}.${String(abs % 100n).padStart(2, '0')}`;
  }

  /** "72,000.5" → 7200050 fen; null for anything that is not yuan with at most two decimals. */
  function fenOf(text) {
    const clean = String(text).replace(/[¥,\s]/g, '');
    const match = /^(\d{1,13})(?:\.(\d{1,2}))?$/.exec(clean);
    if (!match) return null;
    return Number(BigInt(match[1]) * 100n + BigInt((match[2] || '').padEnd(2, '0')));
  }

  const STATUS = {
    submitted: ['Waiting for a decision', '待审批'],
    ineligible: ['Not eligible', '不符合条件'],
    withdrawn: ['Withdrawn', '已撤回'],
    approved: ['Approved', '已批准'],
    rejected: ['Rejected', '已驳回'],
  };
  const ISSUERS = {
    finance: ['Finance Bureau', '市财政局'],
    'state-assets': ['State-owned Assets Commission', '市国资委'],
    'human-resources': ['Human Resources and Social Security Bureau', '市人社局'],
    tax: ['Tax Bureau', '市税务局'],
    'financial-regulation': ['Financial Regulation Bureau', '市地方金融监管局'],
    economy: ['Economy and Informatization Commission', '市经济信息化委'],
    commerce: ['Commerce Commission', '市商务委'],
  };
  const LANDLORDS = {
    'state-owned': ['State-owned', '国有'],
    collective: ['Collective', '集体'],
    private: ['Private', '私人'],
    'own-premises': ['Own premises', '自有房产'],
  };

  function statusChip(status) {
    const [en, zh] = STATUS[status] || [status, ''];
    return el('span', { class: `chip chip-${status}`, 'data-status': status }, en, zh ? el('span', { class: 'zh', text: zh }) : null);
  }

  function issuerName(issuer) {
    const [en, zh] = ISSUERS[issuer] || [issuer, ''];
    return zh ? `${en} ${zh}` : en;
  }

  /** What a measure grants at most, in words. */
  function amountRuleText(rule) {
    switch (rule.kind) {
      case 'rent-months':
        return `${rule.months} month(s) of rent, up to ${yuan(rule.capFen)} · 减免${rule.months}个月租金`;
      case 'per-employee':
        return `${yuan(rule.fenPerEmployee)} per employee, up to ${yuan(rule.capFen)} · 按人补贴`;
      case 'cap':
        return `Up to ${yuan(rule.capFen)} · 上限`;
      default:
        return '';
    }
  }

  /** One eligibility check as a line: pass, fail, or open (decided by what the application states). */
  function checkItem(check) {
    const state = check.passed === true ? 'pass' : check.passed === false ? 'fail' : 'open';
    const mark = { pass: '✓', fail: '✗', open: '?' }[state];
    return el('li', { class: `check check-${state}`, 'data-check': check.rule, 'data-passed': state }, el('span', { class: 'mark', text: mark }), check.reason);
  }

  function checkList(checks) {
    if (!checks.length) return el('p', { class: 'muted small', text: 'No eligibility rules: every enterprise qualifies · 无资格条件' });
    return el('ul', { class: 'checks' }, checks.map(checkItem));
  }

  /** Signing in as the kit does, the token first tried on the page's `probe` path; the bar then names the office or role. */
  function session({ storageKey, probe, onSignedIn }) {
    kit.session({
      storageKey,
      view: 'main-view',
      async onSignedIn(api, claims) {
        if (!claims.sub) throw new kit.ApiError(401, { message: 'not a token' });
        await api.get(probe(claims));
        document
          .getElementById('who')
          .replaceChildren(
            el('span', { class: 'role', text: claims.office ? issuerName(claims.office) : claims.role }),
            el('span', { class: 'muted', text: claims.sub }),
          );
        await onSignedIn(api, claims);
      },
    });
  }

  Object.assign(ns, {
    yuan,
    fenOf,
    statusChip,
    issuerName,
    amountRuleText,
    checkList,
    session,
    STATUS,
    LANDLORDS,
  });
})((window.Relief = window.Relief || {}), window.CityKit);
