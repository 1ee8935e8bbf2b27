// Thin glue between the wasm console and the page (an emscripten --js-library). It only marshals:
// location hash, localStorage, fetch and the window.confhost automation hook. Every decision is in C++.
mergeInto(LibraryManager.library, {
  $ConfhostGlue__deps: ['malloc', 'free'],
  $ConfhostGlue: {
    // A malloc'd UTF-8 copy of a JS string; the C++ caller frees it.
    newString: function (text) {
      var size = lengthBytesUTF8(text) + 1;
      var ptr = _malloc(size);
      stringToUTF8(text, ptr, size);
      return ptr;
    },
    // Hands a JS string to a C++ function that reads it synchronously, then frees it.
    callWithString: function (fn, text) {
      var ptr = ConfhostGlue.newString(text);
      try { return fn(ptr); } finally { _free(ptr); }
    },
  },

  confhost_location_hash__deps: ['$ConfhostGlue'],
  confhost_location_hash: function () {
    return ConfhostGlue.newString(window.location.hash);
  },

  confhost_set_location_hash: function (hashPtr) {
    window.location.hash = UTF8ToString(hashPtr);
  },

  confhost_page_host__deps: ['$ConfhostGlue'],
  confhost_page_host: function () {
    return ConfhostGlue.newString(window.location.host);
  },

  // The app learns about back/forward and typed links through this callback.
  confhost_watch_hash: function () {
    window.addEventListener('hashchange', function () { _confhost_on_hash_changed(); });
  },

  // 0 when the key is absent or storage is unavailable (private mode, disabled cookies).
  confhost_storage_get__deps: ['$ConfhostGlue'],
  confhost_storage_get: function (keyPtr) {
    try {
      var value = window.localStorage.getItem(UTF8ToString(keyPtr));
      return value === null ? 0 : ConfhostGlue.newString(value);
    } catch (e) {
      return 0;
    }
  },

  confhost_storage_set: function (keyPtr, valuePtr) {
    try {
      window.localStorage.setItem(UTF8ToString(keyPtr), UTF8ToString(valuePtr));
      return 1;
    } catch (e) {
      return 0;
    }
  },

  // HTTP through the browser's fetch. Every answer, 2xx or not, reaches C++ with its status, headers
  // (Location, ETag, Link ...) and body; a transport failure has status 0 and networkError.
  confhost_http_request__deps: ['$ConfhostGlue'],
  confhost_http_request: function (requestId, methodPtr, urlPtr, headersJsonPtr, bodyPtr) {
    var method = UTF8ToString(methodPtr);
    var url = UTF8ToString(urlPtr);
    var headers = JSON.parse(UTF8ToString(headersJsonPtr));
    var body = UTF8ToString(bodyPtr);
    var init = { method: method, headers: headers, cache: 'no-store' };
    if (method !== 'GET' && method !== 'HEAD') init.body = body;
    var deliver = function (answer) {
      answer.requestId = requestId;
      ConfhostGlue.callWithString(_confhost_on_http_response, JSON.stringify(answer));
    };
    fetch(url, init).then(function (response) {
      return response.text().then(function (text) {
        var list = [];
        response.headers.forEach(function (value, name) { list.push([name, value]); });
        deliver({ status: response.status, headers: list, body: text, networkError: '' });
      });
    }).catch(function (e) {
      deliver({ status: 0, headers: [], body: '', networkError: String((e && e.message) || e) });
    });
  },

  // window.confhost: the automation hook the browser tests use. state() is HostSession::stateJson() (or
  // the active role's state), command(obj) goes through the same command type the buttons emit.
  confhost_install_automation__deps: ['$ConfhostGlue', '$ConfhostRtc'],
  confhost_install_automation: function () {
    var parse = function (ptr) { return JSON.parse(UTF8ToString(ptr)); };
    window.confhost = {
      state: function () { return parse(_confhost_automation_state()); },
      settings: function () { return parse(_confhost_automation_settings()); },
      route: function () { return UTF8ToString(_confhost_automation_route()); },
      command: function (obj) {
        var text = typeof obj === 'string' ? obj : JSON.stringify(obj);
        return ConfhostGlue.callWithString(function (ptr) {
          return parse(_confhost_automation_command(ptr));
        }, text);
      },
    };
    // Media probes for end-to-end tests (peer handles are in state(): previewMedia[name].handle,
    // handles[session]): colours of the newest received frame and the level of received tones.
    window.confhost.sample = function (handle, points) { return ConfhostRtc.sample(handle, points); };
    window.confhost.toneLevels = function (handle, frequencies) { return ConfhostRtc.toneLevels(handle, frequencies); };
    window.dispatchEvent(new Event('confhost-ready'));
  },
});
