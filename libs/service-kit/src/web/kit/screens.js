// What every page of the city shares (the operations-center dashboard and the departments' screens):
// the token (from the link or this tab's session), the API called with it, refusals in words,
// DOM building without HTML strings, and times in the city's zone. Served at /screens/kit/screens.js
// (and /kit/screens.js by the dashboard); a classic script, loaded before the page's own, under `CityKit`.
(function (kit) {
  'use strict';

  class ApiError extends Error {
    constructor(status, body) {
      super((body && body.message) || `HTTP ${status}`);
      this.status = status;
      this.body = body || {};
    }
  }

  /** Calls the service's API with a bearer token; a refusal becomes an ApiError carrying its body (rule, message, fields). */
  class Api {
    constructor(token) {
      this.token = token;
    }

    /** GET with `params` as the query (empty values left out). */
    get(path, params = {}) {
      return this.send('GET', withQuery(path, params));
    }

    post(path, body) {
      return this.send('POST', path, body);
    }

    async send(method, path, body) {
      const headers = { Authorization: `Bearer ${this.token}`, Accept: 'application/json' };
      if (body !== undefined) headers['Content-Type'] = 'application/json';
      const res = await fetch(path, { method, headers, ...(body !== undefined && { body: JSON.stringify(body) }) });
      const answer = await bodyOf(res);
      if (!res.ok) throw new ApiError(res.status, answer);
      return answer;
    }
  }

  /** `path?…` with `params` as the query, empty values left out. */
  function withQuery(path, params) {
    const query = new URLSearchParams(Object.entries(params || {}).filter(([, v]) => v !== undefined && v !== null && v !== ''));
    return query.toString() ? `${path}?${query}` : path;
  }

  /** A response's JSON; text that is not JSON (a proxy's error page) becomes the message, so it is still shown. */
  async function bodyOf(res) {
    const text = await res.text();
    try {
      return text ? JSON.parse(text) : null;
    } catch {
      return { message: text };
    }
  }

  /** What a refusal says to a person: the rule it names, the reason, and the fields at fault. */
  function describeError(error) {
    if (error instanceof TypeError) return `Cannot reach the service 无法连接服务: ${error.message}`;
    if (!(error instanceof ApiError)) return error.message;
    const b = error.body;
    const parts = [];
    if (b.rule) parts.push(`[${b.rule}]`);
    parts.push(b.message || `HTTP ${error.status}`);
    if (b.fields) for (const [field, why] of Object.entries(b.fields)) parts.push(`${field}: ${[].concat(why).join('; ')}`);
    return parts.join(' ');
  }

  /** The token's claims, to greet the user and pick defaults; null when it is no JWT. The API checks the token itself. */
  function claimsOf(token) {
    try {
      const part = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
      const json = decodeURIComponent(Array.from(atob(part), (c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`).join(''));
      return JSON.parse(json);
    } catch {
      return null;
    }
  }

  /**
   * The token of a link (`#token=…`, as `npm start` prints it), removed from the address bar at once
   * (the hash becomes `hash`), else the one kept in this tab's session under `storageKey`; null when none.
   */
  function takeToken(storageKey, hash = '') {
    const match = /(?:^#|&)token=([^&]+)/.exec(location.hash);
    if (match) {
      history.replaceState(null, '', `${location.pathname}${location.search}${hash}`);
      return decodeURIComponent(match[1]).trim();
    }
    return sessionStorage.getItem(storageKey);
  }

  /**
   * Signing in on a screen: a token from the link or this tab's session, else the login form
   * (#login, #login-form, #token-input, #login-error); signed in, #session-bar and the page's
   * `view` show. `onSignedIn(api, claims)` loads the page and rejects (an ApiError) when the
   * token is refused; the login form then says why. Sign-out (#logout) forgets the token.
   */
  function session({ storageKey, view, onSignedIn }) {
    const $ = (id) => document.getElementById(id);
    const show = (signedIn, message = '') => {
      $('login').hidden = signedIn;
      $(view).hidden = !signedIn;
      $('session-bar').hidden = !signedIn;
      $('login-error').textContent = message;
    };
    async function signIn(raw) {
      const token = raw.trim();
      try {
        await onSignedIn(new Api(token), claimsOf(token) || {});
      } catch (error) {
        sessionStorage.removeItem(storageKey);
        if (error instanceof ApiError && error.status === 401) return show(false, 'This token is not valid or has expired · 令牌无效或已过期');
        if (error instanceof ApiError && error.status === 403) return show(false, `This token may not open this page · 无权访问: ${describeError(error)}`);
        return show(false, describeError(error));
      }
      sessionStorage.setItem(storageKey, token);
      show(true);
    }
    $('login-form').addEventListener('submit', (event) => {
      event.preventDefault();
      const token = $('token-input').value;
      if (token.trim()) signIn(token);
    });
    // A fresh page: nothing the signed-out user saw stays in it.
    $('logout').addEventListener('click', () => {
      sessionStorage.removeItem(storageKey);
      location.reload();
    });
    const token = takeToken(storageKey);
    if (token) signIn(token);
    else show(false);
  }

  /** Builds an element; children are nodes or text, never parsed as HTML, so nothing the API returns is read as markup. */
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (key === 'class') node.className = value;
      else if (key === 'text') node.textContent = value;
      else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
      else if (key in node && typeof value !== 'string') node[key] = value;
      else node.setAttribute(key, value === true ? '' : String(value));
    }
    for (const child of children.flat()) {
      if (child === undefined || child === null || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  /** "English 中文" as the pages write labels: the Chinese in the muted style. */
  function bilingual(en, zh) {
    return zh ? [en, el('span', { class: 'zh', text: zh })] : [en];
  }

  // Times are the city's: Asia/Shanghai, whatever the browser's zone.
  const CITY_ZONE = 'Asia/Shanghai';
  const cityDay = new Intl.DateTimeFormat('en-CA', { timeZone: CITY_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' });
  /** The city's wall time to the minute, all numeric: the options of an Intl.DateTimeFormat. */
  const CITY_MINUTE = Object.freeze({
    timeZone: CITY_ZONE,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  });
  // `2026/02/10 09:00`: read alike by the pages' English and Chinese readers.
  const cityMinute = new Intl.DateTimeFormat('zh-CN', CITY_MINUTE);

  /** Today in the city, `YYYY-MM-DD`. */
  function todayInCity() {
    return cityDay.format(new Date());
  }

  /** An instant as the city's wall time to the minute; '—' when there is none. */
  function cityTime(iso) {
    return iso ? cityMinute.format(new Date(iso)) : '—';
  }

  Object.assign(kit, { Api, ApiError, withQuery, describeError, claimsOf, takeToken, session, el, bilingual, todayInCity, cityTime, CITY_ZONE, CITY_MINUTE });
})((window.CityKit = window.CityKit || {}));
