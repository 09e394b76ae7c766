// Reporting without a connection, on top of the plain forms. The service worker keeps the pages
// of "My indicators" and their forms; a report sent while offline is kept here, on the device,
// and sent when the connection returns. The portal records it once: each kept report carries a
// request key of its own. Without this script (or a browser without service workers) the forms
// work as they always do.
(function () {
  "use strict";
  var body = document.body;
  var user = body.getAttribute("data-user");
  var panel = document.getElementById("outbox");
  if (!("serviceWorker" in navigator) || !window.indexedDB || !window.fetch || !user || !panel) {
    return;
  }
  var words = panel.dataset;
  var sentNow = 0;
  var sending = false;

  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var hex = "";
    var bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 15) | 64;
    bytes[8] = (bytes[8] & 63) | 128;
    bytes.forEach(function (b) { hex += (b + 256).toString(16).slice(1); });
    return hex.replace(/^(.{8})(.{4})(.{4})(.{4})/, "$1-$2-$3-$4-");
  }

  function withReports(mode, work) {
    return new Promise(function (resolve, reject) {
      var opening = indexedDB.open("portal-outbox", 1);
      opening.onupgradeneeded = function () {
        opening.result.createObjectStore("reports", {keyPath: "key"});
      };
      opening.onerror = function () { reject(opening.error); };
      opening.onsuccess = function () {
        var db = opening.result;
        var transaction = db.transaction("reports", mode);
        var request = work(transaction.objectStore("reports"));
        transaction.oncomplete = function () { db.close(); resolve(request && request.result); };
        transaction.onerror = function () { db.close(); reject(transaction.error); };
      };
    });
  }

  function myReports() {
    return withReports("readonly", function (store) { return store.getAll(); }).then(function (all) {
      return (all || []).filter(function (report) { return report.user === user; });
    });
  }

  function line(text) {
    var p = document.createElement("p");
    p.textContent = text;
    return p;
  }

  function show() {
    return myReports().then(function (reports) {
      panel.textContent = "";
      if (sentNow) panel.appendChild(line(words.sent.replace("%s", sentNow)));
      if (reports.length) {
        panel.appendChild(line(words.waiting.replace("%s", reports.length)));
        var list = document.createElement("ul");
        reports.forEach(function (report) {
          var item = document.createElement("li");
          item.textContent = report.label + " ";
          if (report.refused) {
            item.appendChild(document.createTextNode("— " + words.refused + " "));
            var discard = document.createElement("button");
            discard.type = "button";
            discard.className = "link";
            discard.textContent = words.discard;
            discard.addEventListener("click", function () {
              withReports("readwrite", function (store) { return store.delete(report.key); })
                .then(show);
            });
            item.appendChild(discard);
          }
          list.appendChild(item);
        });
        panel.appendChild(list);
      }
      panel.hidden = !(sentNow || reports.length);
    });
  }

  function send(report) {
    // The token of a fresh copy of the form: the kept one's may be out of date (signing in
    // again changes it).
    return fetch(report.action, {credentials: "same-origin"}).then(function (response) {
      return response.text();
    }).then(function (html) {
      var fresh = new DOMParser().parseFromString(html, "text/html")
        .querySelector("[name=csrfmiddlewaretoken]");
      var data = new FormData();
      report.fields.forEach(function (field) {
        var fresher = field[0] === "csrfmiddlewaretoken" && fresh;
        data.append(field[0], fresher ? fresh.value : field[1]);
      });
      return fetch(report.action, {method: "POST", body: data, credentials: "same-origin"});
    }).then(function (response) {
      if (response.redirected && /\/updates\/\d+\/$/.test(new URL(response.url).pathname)) {
        sentNow += 1;
        return withReports("readwrite", function (store) { return store.delete(report.key); });
      }
      // The portal answered but did not record it (the period was locked meanwhile, say):
      // kept, and shown, for the person to report again or discard.
      report.refused = true;
      return withReports("readwrite", function (store) { return store.put(report); });
    });
  }

  function sendWaiting() {
    if (sending || !navigator.onLine) return;
    sending = true;
    myReports().then(function (reports) {
      return reports.filter(function (report) { return !report.refused; }).reduce(
        function (done, report) { return done.then(function () { return send(report); }); },
        Promise.resolve()
      );
    }).catch(function () {
      // The connection dropped again: what is left waits for the next time.
    }).then(function () {
      sending = false;
      return show();
    });
  }

  function keep(form, submitter) {
    // A key of its own: the kept form's key may already have been sent once, from the same page.
    var key = newKey();
    var fields = [];
    new FormData(form, submitter).forEach(function (value, name) {
      fields.push([name, name === "request_key" ? key : value]);
    });
    var report = {
      key: key,
      user: user,
      // Read as an attribute: the form's "action" buttons shadow the property.
      action: new URL(form.getAttribute("action") || "", location.href).href,
      label: form.dataset.label || document.title,
      saved: new Date().toISOString(),
      fields: fields
    };
    return withReports("readwrite", function (store) { return store.put(report); });
  }

  document.querySelectorAll("form.update-form").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (navigator.onLine) return;
      event.preventDefault();
      keep(form, event.submitter).then(function () {
        form.hidden = true;
        var notice = line(words.kept);
        notice.className = "kept";
        notice.setAttribute("role", "status");
        form.parentNode.insertBefore(notice, form);
        return show();
      });
    });
  });

  document.querySelectorAll("form[data-sign-out]").forEach(function (form) {
    form.addEventListener("submit", function () {
      if (navigator.serviceWorker.controller) navigator.serviceWorker.controller.postMessage({forget: true});
    });
  });

  navigator.serviceWorker.addEventListener("message", function (event) {
    if (event.data && event.data.kept !== undefined) body.setAttribute("data-offline-ready", "yes");
  });
  navigator.serviceWorker.register(words.worker).then(function () {
    return navigator.serviceWorker.ready;
  }).then(function (registration) {
    if (!document.querySelector("[data-keep-offline]") || !registration.active) return;
    var forms = Array.prototype.map.call(
      document.querySelectorAll("a[href$='/report/']"),
      function (link) { return link.href; }
    );
    registration.active.postMessage({keep: [location.pathname].concat(forms)});
  });

  window.addEventListener("online", sendWaiting);
  show().then(sendWaiting);
})();
