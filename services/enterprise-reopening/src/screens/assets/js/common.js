// What both screens share: the token (kept in sessionStorage, like the dashboard), the API, labels, DOM helpers.
(function (ns) {
  const TOKEN_KEY = 'er.token';

  class ApiError extends Error {
    constructor(status, body) {
      super((body && body.message) || `HTTP ${status}`);
      this.status = status;
      this.body = body;
    }
  }

  class Api {
    constructor(token) {
      this.token = token;
    }

    get(path) {
      return this.send('GET', path);
    }

    post(path, body) {
      return this.send('POST', path, body);
    }

    async send(method, path, body) {
      const headers = { Authorization: `Bearer ${this.token}`, Accept: 'application/json' };
      if (body !== undefined) headers['Content-Type'] = 'application/json';
      const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
      const answer = await res.json().catch(() => null);
      if (!res.ok) throw new ApiError(res.status, answer);
      return answer;
    }
  }

  /** The token's claims, to greet the user and pick defaults; the server decides what the token may do. */
  function claimsOf(token) {
    try {
      const part = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
      const json = decodeURIComponent(Array.from(atob(part), (c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`).join(''));
      return JSON.parse(json);
    } catch {
      return {};
    }
  }

  /**
   * Signs in with a token from the link (`#token=…`, as `npm start` prints it; removed from the
   * address bar at once) or from this tab's session; otherwise shows the login form.
   * `onSignedIn(api, claims)` loads the screen and rejects with an ApiError when the token is refused.
   */
  function session({ onSignedIn }) {
    const $ = (id) => document.getElementById(id);
    const match = /(?:^#|&)token=([^&]+)/.exec(location.hash);
    if (match) history.replaceState(null, '', location.pathname + location.search);

    async function signIn(token) {
      $('login-error').textContent = '';
      try {
        await onSignedIn(new Api(token), claimsOf(token));
      } catch (error) {
        sessionStorage.removeItem(TOKEN_KEY);
        $('screen').hidden = true;
        $('session-bar').hidden = true;
        $('login').hidden = false;
        $('login-error').textContent =
          error instanceof ApiError && error.status === 401
            ? 'This token is not valid or has expired. 令牌无效或已过期。'
            : `The service refused: ${error.message}`;
        return;
      }
      sessionStorage.setItem(TOKEN_KEY, token);
      $('login').hidden = true;
      $('session-bar').hidden = false;
      $('screen').hidden = false;
    }

    $('login-form').addEventListener('submit', (event) => {
      event.preventDefault();
      const token = $('token-input').value.trim();
      if (token) signIn(token);
    });
    $('logout').addEventListener('click', () => {
      sessionStorage.removeItem(TOKEN_KEY);
      location.reload();
    });
    const token = (match && decodeURIComponent(match[1])) || sessionStorage.getItem(TOKEN_KEY);
    if (token) signIn(token.trim());
    else $('login').hidden = false;
  }

  /** Builds an element; children are nodes or text (never parsed as HTML). */
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (key === 'class') node.className = value;
      else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
      else if (key in node && typeof value !== 'string') node[key] = value;
      else node.setAttribute(key, value === true ? '' : value);
    }
    for (const child of children.flat()) {
      if (child === undefined || child === null || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  /** "English 中文" as a label: the Chinese in the muted style. */
  function bilingual(en, zh) {
    return zh ? [en, el('span', { class: 'zh' }, zh)] : [en];
  }

  const STATUSES = {
    'not-declared': ['Not declared', '未申报', ''],
    declared: ['Declared, awaiting inspection', '已申报待检查', 'info'],
    'rectification-required': ['Rectification required', '需整改', 'fair'],
    'rectification-submitted': ['Rectification submitted', '整改已提交', 'info'],
    'inspection-passed': ['Inspection passed', '检查通过', 'good'],
    reopened: ['Reopened', '已复工', 'good'],
    suspended: ['Suspended', '暂停复工', 'low'],
  };

  function statusBadge(status) {
    const [en, zh, tone] = STATUSES[status] || [status, '', ''];
    return el('span', { class: 'badge', 'data-status': status, 'data-tone': tone }, en, el('span', { class: 'zh' }, zh));
  }

  const OUTCOMES = {
    passed: ['Passed', '通过'],
    'rectification-required': ['Rectification required', '限期整改'],
    suspended: ['Suspended', '暂停'],
  };

  /** Shows a result: `tone` good or low; `items` an optional list named under the text. */
  function show(target, tone, text, items) {
    target.replaceChildren(
      text,
      items && items.length
        ? el(
            'ul',
            {},
            items.map((i) => el('li', { 'data-item': i.key }, i.label)),
          )
        : '',
    );
    target.setAttribute('data-tone', tone);
  }

  /** A refusal of the API in words: the rule or the fields it names. */
  function describeError(error) {
    if (error instanceof TypeError) return `Cannot reach the service: ${error.message}`;
    if (!(error instanceof ApiError)) return error.message;
    const body = error.body || {};
    if (body.fields)
      return `${body.message || 'Invalid input'}: ${Object.entries(body.fields)
        .map(([f, why]) => `${f} (${[].concat(why).join('; ')})`)
        .join(', ')}`;
    return body.message || `HTTP ${error.status}`;
  }

  function todayInShanghai() {
    return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
  }

  function formatTime(iso) {
    if (!iso) return '';
    return new Intl.DateTimeFormat('zh-CN', {
      timeZone: 'Asia/Shanghai',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hour12: false,
    }).format(new Date(iso));
  }

  /** A client-chosen id, so that sending the same form twice records it once. */
  function newId(prefix) {
    if (window.crypto && crypto.randomUUID) return `${prefix}-${crypto.randomUUID()}`;
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    return `${prefix}-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
  }

  Object.assign(ns, { Api, ApiError, session, el, bilingual, statusBadge, OUTCOMES, show, describeError, todayInShanghai, formatTime, newId });
})((window.ReopeningScreens = window.ReopeningScreens || {}));
