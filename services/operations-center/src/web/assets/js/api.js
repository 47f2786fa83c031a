// Talks to the operations-center API with the signed-in token.
(function (ns, kit) {
  const { ApiError, withQuery } = kit;

  /** The kit's API client (token, JSON, refusals as ApiError) with what only the dashboard does: downloads and the live stream. */
  class Api extends kit.Api {
    /**
     * Fetches a file of the API (e.g. a CSV export) with the token and hands it
     * to the browser as a download, under the name the server gives it.
     */
    async download(path, params = {}) {
      const res = await fetch(withQuery(path, params), { headers: { Authorization: `Bearer ${this.token}` } });
      if (!res.ok) throw new ApiError(res.status, await res.json().catch(() => null));
      const named = /filename="([^"]+)"/.exec(res.headers.get('Content-Disposition') || '');
      const href = URL.createObjectURL(await res.blob());
      const link = document.createElement('a');
      link.href = href;
      link.download = named ? named[1] : 'export.csv';
      document.body.appendChild(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(href), 10_000);
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
})((window.OpsDashboard = window.OpsDashboard || {}), window.CityKit);
