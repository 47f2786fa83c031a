// What both relief screens share: the signed-in token, the API, money in yuan from integer fen, and labels.
(function (ns) {
  'use strict';

  class ApiError extends Error {
    constructor(status, body) {
      super((body && body.message) || `HTTP ${status}`);
      this.status = status;
      this.body = body || {};
    }
  }

  /** Calls policy-relief's API with the signed-in token; a refusal becomes an ApiError carrying its body (rule, reason, fields). */
  class Api {
    constructor(token) {
      this.token = token;
    }
    get(path) {
      return this.call('GET', path);
    }
    post(path, body) {
      return this.call('POST', path, body);
    }
    async call(method, path, body) {
      const headers = { Authorization: `Bearer ${this.token}`, Accept: 'application/json' };
      if (body !== undefined) headers['Content-Type'] = 'application/json';
      const res = await fetch(path, { method, headers, ...(body !== undefined && { body: JSON.stringify(body) }) });
      const text = await res.text();
      let parsed = null;
      try {
        parsed = text ? JSON.parse(text) : null;
      } catch {
        parsed = { message: text };
      }
      if (!res.ok) throw new ApiError(res.status, parsed);
      return parsed;
    }
  }

  /** What a refusal says to a person: the rule it names, the reason, and the fields at fault. */
  function describeError(error) {
    if (!(error instanceof ApiError)) return `Cannot reach the service 无法连接服务: ${error.message}`;
    const b = error.body;
    const parts = [];
    if (b.rule) parts.push(`[${b.rule}]`);
    parts.push(b.message || `HTTP ${error.status}`);
    if (b.fields) for (const [field, why] of Object.entries(b.fields)) parts.push(`${field}: ${[].concat(why).join('; ')}`);
    return parts.join(' ');
  }

  /** The token's claims, for showing who is signed in and whose page this is; the API checks the token itself. */
  function claimsOf(token) {
    try {
      const part = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
      const json = decodeURIComponent(
        atob(part)
          .split('')
          .map((c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`)
          .join(''),
      );
      return JSON.parse(json);
    } catch {
      return null;
    }
  }

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

  // ---- DOM: built from nodes, never from HTML strings, so nothing the API returns is read as markup

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (key === 'class') node.className = value;
      else if (key === 'text') node.textContent = value;
      else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? '' : String(value));
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  /** "English 中文" as the pages write labels. */
  function label(en, zh) {
    return [en, el('span', { class: 'zh', text: zh })];
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

  function cityTime(iso) {
    if (!iso) return '—';
    return new Date(iso).toLocaleString('en-GB', { timeZone: 'Asia/Shanghai', dateStyle: 'medium', timeStyle: 'short' });
  }

  /**
   * Signing in as the dashboard does: a token from the address (`#token=…`, then
   * removed from it) or pasted into the form, kept in sessionStorage for this tab only.
   */
  function session({ storageKey, probe, onSignedIn }) {
    const $ = (id) => document.getElementById(id);
    const showLogin = (message) => {
      $('login').hidden = false;
      $('main-view').hidden = true;
      $('session-bar').hidden = true;
      $('login-error').textContent = message || '';
    };
    async function signIn(raw) {
      const token = raw.trim();
      const api = new Api(token);
      const claims = claimsOf(token);
      try {
        if (!claims) throw new ApiError(401, { message: 'not a token' });
        await api.get(probe(claims));
      } catch (error) {
        sessionStorage.removeItem(storageKey);
        if (error instanceof ApiError && error.status === 401) return showLogin('This token is not valid or has expired · 令牌无效或已过期');
        if (error instanceof ApiError && error.status === 403) return showLogin(`This token may not open this page · 无权访问: ${describeError(error)}`);
        return showLogin(describeError(error));
      }
      sessionStorage.setItem(storageKey, token);
      $('login').hidden = true;
      $('main-view').hidden = false;
      $('session-bar').hidden = false;
      const who = $('who');
      who.replaceChildren(
        el('span', { class: 'role', text: claims.office ? issuerName(claims.office) : claims.role }),
        el('span', { class: 'muted', text: claims.sub }),
      );
      await onSignedIn(api, claims);
    }
    $('login-form').addEventListener('submit', (event) => {
      event.preventDefault();
      const token = $('token-input').value;
      if (token.trim()) signIn(token);
    });
    $('logout').addEventListener('click', () => {
      sessionStorage.removeItem(storageKey);
      $('token-input').value = '';
      showLogin();
    });
    const match = /(?:^#|&)token=([^&]+)/.exec(location.hash);
    if (match) history.replaceState(null, '', location.pathname + location.search);
    const token = (match && decodeURIComponent(match[1])) || sessionStorage.getItem(storageKey);
    if (token) signIn(token);
    else showLogin();
  }

  Object.assign(ns, {
    Api,
    ApiError,
    describeError,
    claimsOf,
    yuan,
    fenOf,
    el,
    label,
    statusChip,
    issuerName,
    amountRuleText,
    checkList,
    cityTime,
    session,
    STATUS,
    LANDLORDS,
  });
})((window.Relief = window.Relief || {}));
