// The status page's live part: polls the JSON endpoints the page was rendered from and updates its cells.
// Plain ES5 and XMLHttpRequest, no build step. Values go in with textContent, never as HTML.
(function () {
  'use strict';
  var every = Number(document.body.getAttribute('data-poll-ms')) || 5000;

  function getJson(path, then) {
    var xhr = new XMLHttpRequest();
    xhr.open('GET', path);
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.onload = function () {
      if (xhr.status === 200) {
        then(JSON.parse(xhr.responseText));
      }
    };
    xhr.send();
  }

  function set(row, cls, value) {
    var cell = row.querySelector('.' + cls);
    if (cell) {
      cell.textContent = value;
    }
  }

  // The same words as StatusPage.progress and StatusPage.lastRun.
  function progress(run) {
    var s = run.percent != null ? run.percent + '% · ' : '';
    s += run.records + ' records';
    if (run.etaSeconds != null) {
      s += ' · ETA ' + run.etaSeconds + ' s';
    }
    return s;
  }

  function lastRun(run) {
    var s = (run.finishedAt || run.startedAt) + ': ' + run.records + ' records';
    if (run.message != null) {
      s += ' — ' + run.message;
    }
    return s;
  }

  function refreshStore(store, rows) {
    getJson('/stores/' + encodeURIComponent(store) + '/status', function (body) {
      rows.forEach(function (row) {
        var surface = body.surfaces && body.surfaces[row.getAttribute('data-surface')];
        if (!surface) {
          return;
        }
        if (surface.current) {
          set(row, 'state', 'running');
          set(row, 'progress', progress(surface.current));
        } else {
          set(row, 'state', surface.lastRun ? surface.lastRun.outcome : 'not run yet');
          set(row, 'progress', '');
        }
        if (surface.lastRun) {
          set(row, 'last', lastRun(surface.lastRun));
        }
      });
    });
  }

  function refreshInbox() {
    getJson('/webhook-inbox?limit=1', function (body) {
      Object.keys(body.counts || {}).forEach(function (status) {
        var cell = document.getElementById('inbox-' + status);
        if (cell) {
          cell.textContent = String(body.counts[status]);
        }
      });
    });
  }

  function poll() {
    var byStore = {};
    Array.prototype.forEach.call(document.querySelectorAll('tr[data-surface]'), function (row) {
      var store = row.getAttribute('data-store');
      (byStore[store] = byStore[store] || []).push(row);
    });
    Object.keys(byStore).forEach(function (store) {
      refreshStore(store, byStore[store]);
    });
    refreshInbox();
    document.getElementById('as-of').textContent = new Date().toISOString();
    setTimeout(poll, every);
  }

  setTimeout(poll, every);
}());
