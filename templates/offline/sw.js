{% load static %}// The portal's service worker. It keeps "My indicators", the report forms linked from it, and
// the styles and scripts they need on the device, so that a form opens without a connection.
// Reports typed offline are kept and sent by offline.js; this worker never posts anything.
"use strict";
var ASSETS = ["{% static 'css/portal.css' %}", "{% static 'js/update-form.js' %}", "{% static 'js/offline.js' %}"];
var VERSION = "{{ version }}";
var PAGES = "portal-pages-" + VERSION;
var STATIC = "portal-static-" + VERSION;

function keptPage(path) {
  return /^\/indicators\/(mine|\d+\/report)\/$/.test(path);
}

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(STATIC).then(function (cache) { return cache.addAll(ASSETS); }));
  self.skipWaiting();
});

self.addEventListener("activate", function (event) {
  // Copies kept by an earlier version are dropped with it.
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      return name !== PAGES && name !== STATIC;
    }).map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }));
});

function keep(cache, path, response) {
  if (response.ok && !response.redirected) return cache.put(path, response);
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (url.pathname.indexOf("{% get_static_prefix %}") === 0) {
    event.respondWith(caches.match(request, {cacheName: STATIC}).then(function (hit) {
      return hit || fetch(request);
    }));
    return;
  }
  if (request.mode === "navigate" && keptPage(url.pathname)) {
    // Fresh from the portal when it answers; the kept copy when it does not.
    event.respondWith(fetch(request).then(function (response) {
      var copy = response.clone();
      caches.open(PAGES).then(function (cache) { return keep(cache, url.pathname, copy); });
      return response;
    }).catch(function () {
      return caches.match(url.pathname, {cacheName: PAGES}).then(function (hit) {
        return hit || Response.error();
      });
    }));
  }
});

self.addEventListener("message", function (event) {
  var data = event.data || {};
  if (data.forget) {
    // Signing out: nothing of this person's stays on the device.
    event.waitUntil(caches.delete(PAGES));
    return;
  }
  if (!data.keep) return;
  var paths = data.keep.map(function (link) {
    return new URL(link, self.location.origin).pathname;
  }).filter(keptPage);
  event.waitUntil(caches.open(PAGES).then(function (cache) {
    return Promise.all(paths.map(function (path) {
      return fetch(path, {credentials: "same-origin"}).then(function (response) {
        return keep(cache, path, response);
      }).catch(function () {});
    }));
  }).then(function () {
    if (event.source) event.source.postMessage({kept: paths.length});
  }));
});
