// Talks to the operations-center API with the signed-in token.
(function (ns) {
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

    async get(path, params = {}) {
      const query = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== undefined && v !== null && v !== ''));
      const url = query.toString() ? `${path}?${query}` : path;
      const res = await fetch(url, { headers: { Authorization: `Bearer ${this.token}`, Accept: 'application/json' } });
      const body = await res.json().catch(() => null);
      if (!res.ok) throw new ApiError(res.status, body);
      return body;
    }

    /**
     * Opens the live stream. An EventSource cannot send headers, so the token
     * travels as `access_token` (the server removes it from its logs).
     * `handlers`: { snapshot, districtOverview, cityFigures, state(open|retrying|closed) }.
     */
    stream(handlers) {
      const source = new EventSource(`/api/stream?access_token=${encodeURIComponent(this.token)}`);
      const parse = (fn) => (message) => fn(JSON.parse(message.data));
      source.addEventListener('snapshot', parse(handlers.snapshot));
      source.addEventListener('district-overview', parse(handlers.districtOverview));
      source.addEventListener('city-figures', parse(handlers.cityFigures));
      source.addEventListener('open', () => handlers.state('open'));
      source.addEventListener('error', () => handlers.state(source.readyState === EventSource.CLOSED ? 'closed' : 'retrying'));
      return source;
    }
  }

  ns.Api = Api;
  ns.ApiError = ApiError;
})((window.OpsDashboard = window.OpsDashboard || {}));
