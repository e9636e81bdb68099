// Pilotis — interactive maps, as a progressive enhancement of the maps drawn on the server.
// Each <figure class="carte" data-geojson-url="…"> keeps its SVG (shown without JavaScript and
// when printing); with Leaflet loaded, an interactive map of the same contours is put above it.
// Plain script, no build step, nothing inline: it runs under the strict Content-Security-Policy.
(function () {
  'use strict';
  var L = window.L;
  if (!L || !window.fetch || !document.querySelectorAll) return;

  var STYLES = {
    arrondissement: { color: '#6b7780', weight: 1, dashArray: '4 3', fillColor: '#f5f8f9', fillOpacity: 1 },
    iris: { color: '#6b7780', weight: 0.5, fillColor: '#f5f8f9', fillOpacity: 1 },
    zone: { color: '#0b5566', weight: 1.5, fillColor: '#b3d8e0', fillOpacity: 0.75 },
    surbrillance: { color: '#b34700', weight: 3, fillColor: '#f4c7a1', fillOpacity: 0.8, className: 'carte-surbrillance' },
    surbrillanceFond: { color: '#b34700', weight: 3, fillColor: '#f4c7a1', fillOpacity: 0.45, className: 'carte-surbrillance' },
  };
  var CONTEXT_TYPES = { arrondissement: true, iris: true, commune: true };

  function features(data) {
    if (!data) return [];
    if (data.type === 'FeatureCollection') return data.features || [];
    if (data.type === 'Feature') return [data];
    return [];
  }

  function fetchJson(url) {
    return fetch(url, { headers: { accept: 'application/json' }, credentials: 'same-origin' }).then(function (r) {
      if (!r.ok) throw new Error('HTTP ' + r.status);
      return r.json();
    });
  }

  function draw(figure, list) {
    var svg = figure.querySelector('svg.carte-svg');
    var highlight = figure.getAttribute('data-surbrillance');
    var link = figure.getAttribute('data-lien');
    var title = figure.getAttribute('data-titre') || 'Carte';
    var tileUrl = figure.getAttribute('data-tile-url');
    var attribution = figure.getAttribute('data-tile-attribution');

    var container = document.createElement('div');
    container.className = 'carte-interactive';
    // Leaflet makes the container focusable: arrows move the map, + and − zoom.
    container.setAttribute('role', 'region');
    container.setAttribute('aria-label', 'Carte interactive : ' + title + '. Flèches pour déplacer la carte, touches plus et moins pour zoomer.');
    figure.insertBefore(container, svg || figure.firstChild);
    figure.classList.add('carte-active');

    var map = L.map(container, { zoomControl: false, keyboard: true, zoomSnap: 0.25, attributionControl: true });
    L.control.zoom({ zoomInTitle: 'Zoomer', zoomOutTitle: 'Dézoomer' }).addTo(map);
    map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
    if (tileUrl) L.tileLayer(tileUrl, { attribution: attribution || '', maxZoom: 19 }).addTo(map);

    // Context first (underneath), then the areas, the highlighted one last (on top).
    var ordered = list.slice().sort(function (a, b) {
      return rank(a) - rank(b);
    });
    // A highlighted arrondissement stays under the quartiers it holds.
    function rank(f) {
      var p = f.properties || {};
      var context = CONTEXT_TYPES[p.type];
      if (highlight && p.code === highlight) return context ? 0.5 : 2;
      return context ? 0 : 1;
    }
    var focus = null;
    var all = L.geoJSON(
      { type: 'FeatureCollection', features: ordered },
      {
        style: function (f) {
          var p = f.properties || {};
          if (highlight && p.code === highlight) return CONTEXT_TYPES[p.type] ? STYLES.surbrillanceFond : STYLES.surbrillance;
          return STYLES[p.type] || STYLES.zone;
        },
        onEachFeature: function (f, layer) {
          var p = f.properties || {};
          if (p.nom) layer.bindTooltip(p.nom + (p.code ? ' (' + p.code + ')' : ''), { sticky: true });
          if (highlight && p.code === highlight) focus = layer;
          if (link && p.code && !CONTEXT_TYPES[p.type]) {
            layer.on('click', function () {
              window.location.href = link.replace('{code}', encodeURIComponent(p.code));
            });
          }
        },
      },
    ).addTo(map);

    var zones = L.featureGroup();
    all.eachLayer(function (layer) {
      var p = (layer.feature && layer.feature.properties) || {};
      if (!CONTEXT_TYPES[p.type]) zones.addLayer(layer);
    });
    var bounds = focus ? focus.getBounds().pad(0.6) : zones.getLayers().length ? zones.getBounds().pad(0.05) : all.getBounds();
    if (bounds.isValid()) map.fitBounds(bounds);
  }

  function enhance(figure) {
    var urls = (figure.getAttribute('data-geojson-url') || '').split(/\s+/).filter(Boolean);
    if (!urls.length) return;
    Promise.all(urls.map(fetchJson))
      .then(function (answers) {
        var list = [];
        answers.forEach(function (a) {
          list = list.concat(features(a));
        });
        if (list.length) draw(figure, list);
      })
      .catch(function () {
        // The server's SVG stays: the page is complete without the interactive map.
      });
  }

  var figures = document.querySelectorAll('figure.carte[data-geojson-url]');
  for (var i = 0; i < figures.length; i++) enhance(figures[i]);
})();
