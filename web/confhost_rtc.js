// RTC glue (an emscripten --js-library): peer connections, local media, stats, the console's video
// elements and the mixer's canvas. It only marshals: C++ (MediaSessionClient and the sessions built on it) decides when to
// create, offer, answer, close; the mixer's geometry and labels come from C++ too. Each peer is named by
// a handle chosen in C++; every result goes back through _confhost_on_rtc_event(handle, json).
mergeInto(LibraryManager.library, {
  $ConfhostRtc__deps: ['$ConfhostGlue'],
  $ConfhostRtc: {
    peers: {},          // handle → peer record
    cameraStreams: {},  // constraints key → Promise<MediaStream>, shared by the sessions that publish it
    audioContext: null,
    silence: null,      // MediaStreamTrack of a silent oscillator
    mixer: null,        // { canvas, ctx, stream, destination }
    drawSerial: 0,      // the console's frame being drawn (confhost_rtc_begin_draw)
    localHandle: 0,     // the local preview: handle 0

    emit: function (handle, event) {
      ConfhostGlue.callWithString(function (ptr) { _confhost_on_rtc_event(handle, ptr); }, JSON.stringify(event));
    },
    mediaRoot: function () {
      return document.getElementById('media') || document.body;
    },
    audio: function () {
      if (!ConfhostRtc.audioContext) ConfhostRtc.audioContext = new AudioContext();
      if (ConfhostRtc.audioContext.state === 'suspended') ConfhostRtc.audioContext.resume().catch(function () {});
      return ConfhostRtc.audioContext;
    },
    silentTrack: function () {
      if (!ConfhostRtc.silence) {
        var ctx = ConfhostRtc.audio();
        var osc = ctx.createOscillator();
        var gain = ctx.createGain();
        gain.gain.value = 0;
        var dest = ctx.createMediaStreamDestination();
        osc.connect(gain).connect(dest);
        osc.start();
        ConfhostRtc.silence = dest.stream.getAudioTracks()[0];
      }
      return ConfhostRtc.silence;
    },
    camera: function (media) {
      var key = JSON.stringify(media);
      if (!ConfhostRtc.cameraStreams[key]) {
        var constraints = {
          audio: !!media.microphone,
          video: media.camera ? { width: { ideal: media.width }, height: { ideal: media.height } } : false,
        };
        ConfhostRtc.cameraStreams[key] = navigator.mediaDevices.getUserMedia(constraints).then(function (stream) {
          ConfhostRtc.showLocal(stream);
          return stream;
        });
        // A refused camera must not stay cached: the next attempt asks again.
        ConfhostRtc.cameraStreams[key].catch(function () { delete ConfhostRtc.cameraStreams[key]; });
      }
      return ConfhostRtc.cameraStreams[key];
    },
    showLocal: function (stream) {
      var local = ConfhostRtc.peers[0];
      if (!local) {
        local = ConfhostRtc.peers[0] = { handle: 0, video: null, copies: [], frames: 0 };
      }
      if (stream.getVideoTracks().length) {
        ConfhostRtc.attachVideo(local, new MediaStream(stream.getVideoTracks()));
      }
      local.localStream = stream;
    },
    mixerAudio: function () {
      var m = ConfhostRtc.mixer;
      if (!m.destination) m.destination = ConfhostRtc.audio().createMediaStreamDestination();
      return m.destination;
    },
    // Local tracks for a peer's source (see MediaSessionClient's CreatePeer.source).
    localTracks: function (config) {
      var want = { audio: config.audio, video: config.video };
      var src = config.source;
      if (src === 'camera' || src === 'microphone') {
        return ConfhostRtc.camera(config.media).then(function (stream) {
          return {
            audio: want.audio ? stream.getAudioTracks()[0] || null : null,
            video: want.video && src === 'camera' ? stream.getVideoTracks()[0] || null : null,
          };
        });
      }
      if (src === 'silence') return Promise.resolve({ audio: want.audio ? ConfhostRtc.silentTrack() : null, video: null });
      if (src === 'canvas+mix') {
        if (!ConfhostRtc.mixer) return Promise.reject(new Error('the mixer canvas is not set up'));
        return Promise.resolve({
          audio: want.audio ? ConfhostRtc.mixerAudio().stream.getAudioTracks()[0] : null,
          video: want.video ? ConfhostRtc.mixer.stream.getVideoTracks()[0] : null,
        });
      }
      return Promise.resolve({ audio: null, video: null });
    },
    sends: function (direction) { return direction === 'sendrecv' || direction === 'sendonly'; },
    // A video sender's encodings: the full picture (the configured bitrate cap) and, with simulcast, a
    // second one at half the size for small tiles (Janus serves it as substream 0). VideoSend "standby"
    // sends the first as a thumbnail at 1 fps and drops the others: the publish stays alive for the
    // origin and its viewers at almost no encoding cost.
    videoEncodings: function (peer, current) {
      var layers = Math.max(1, peer.config.simulcastLayers || 1);
      var max = peer.config.maxBitrateKbps > 0 ? peer.config.maxBitrateKbps * 1000 : 0;
      var standby = peer.config.videoSend === 'standby';
      var out = [];
      for (var i = 0; i < layers; i++) {
        var e = (current && current[i]) || {};
        if (layers > 1 && !current) e.rid = i === 0 ? 'h' : 'l';
        e.active = !standby || i === 0;
        e.scaleResolutionDownBy = standby && i === 0 ? 8 : Math.pow(2, i);
        if (standby && i === 0) {
          e.maxFramerate = 1;
          e.maxBitrate = 30000;
        } else {
          delete e.maxFramerate;
          var cap = max && i > 0 ? Math.round(max / 4) : max;
          if (cap) e.maxBitrate = cap; else delete e.maxBitrate;
        }
        out.push(e);
      }
      return out;
    },
    applyVideoSend: function (peer) {
      if (!peer.pc) return Promise.resolve();
      var jobs = [];
      peer.pc.getSenders().forEach(function (sender) {
        if (!sender.track || sender.track.kind !== 'video') return;
        var params = sender.getParameters();
        if (!params.encodings || !params.encodings.length) return;
        ConfhostRtc.videoEncodings(peer, params.encodings);
        jobs.push(sender.setParameters(params));
      });
      return Promise.all(jobs);
    },
    attachVideo: function (peer, stream) {
      if (!peer.video) {
        var v = document.createElement('video');
        // Muted (audio has its own element) and started with play(), not the autoplay attribute:
        // Chromium pauses attribute-autoplayed muted videos it considers invisible.
        v.muted = true;
        v.playsInline = true;
        ConfhostRtc.mediaRoot().appendChild(v);
        peer.video = v;
        // Counted for stall detection and the tests; the console does not redraw for a frame: the
        // browser composites the element itself (see confhost_rtc_place_video).
        var onFrame = function () {
          peer.frames++;
          if (peer.video === v) v.requestVideoFrameCallback(onFrame);
        };
        if (v.requestVideoFrameCallback) v.requestVideoFrameCallback(onFrame);
      }
      peer.video.srcObject = stream;
      peer.video.play().catch(function () {});
      peer.copies.forEach(function (c) { c.srcObject = stream; c.play().catch(function () {}); });
    },
    attachAudio: function (peer, track) {
      var stream = new MediaStream([track]);
      // Each remote audio track gets its own <audio> element (Chrome only runs remote WebRTC audio
      // through WebAudio while an element plays it, so 'mix' keeps a muted one too).
      var a = document.createElement('audio');
      a.muted = peer.config.remoteAudio !== 'play';
      a.srcObject = stream;
      ConfhostRtc.mediaRoot().appendChild(a);
      a.play().catch(function () {});
      peer.audios.push(a);
      if (peer.config.remoteAudio === 'mix' && ConfhostRtc.mixer) {
        var node = ConfhostRtc.audio().createMediaStreamSource(stream);
        node.connect(ConfhostRtc.mixerAudio());
        peer.audioNodes.push(node);
      }
    },
    run: function (peer, op) {
      // Operations of one peer run in order, after the local media it waits for.
      peer.queue = peer.queue.then(op).catch(function (e) {
        if (!peer.closed) ConfhostRtc.emit(peer.handle, { type: 'error', reason: String((e && e.message) || e) });
      });
    },
    iceServers: function (list) {
      return (list || []).map(function (s) {
        var entry = { urls: s.urls };
        if (s.username) entry.username = s.username;
        if (s.credential) entry.credential = s.credential;
        return entry;
      });
    },
    stats: function (peer) {
      if (peer.closed || !peer.pc) return;
      peer.pc.getStats().then(function (report) {
        var now = performance.now();
        var out = { type: 'stats', kbps: 0, width: 0, height: 0, fps: 0, packetsLost: 0, audioLevel: -1, framesDecoded: 0 };
        var bytes = 0;
        report.forEach(function (s) {
          if (s.type === 'inbound-rtp' || s.type === 'outbound-rtp') {
            bytes += (s.bytesReceived || 0) + (s.bytesSent || 0);
            if (s.kind === 'video') {
              out.width = s.frameWidth || out.width;
              out.height = s.frameHeight || out.height;
              out.fps = s.framesPerSecond || out.fps;
              out.framesDecoded = s.framesDecoded || out.framesDecoded;
            }
            if (s.packetsLost) out.packetsLost += s.packetsLost;
            if (s.kind === 'audio' && typeof s.audioLevel === 'number') out.audioLevel = s.audioLevel;
          }
          if (s.type === 'media-source' && s.kind === 'audio' && typeof s.audioLevel === 'number') out.audioLevel = s.audioLevel;
          if (s.type === 'media-source' && s.kind === 'video') {
            out.width = out.width || s.width || 0;
            out.height = out.height || s.height || 0;
            out.fps = out.fps || s.framesPerSecond || 0;
          }
        });
        if (peer.lastBytesAt) out.kbps = Math.round(((bytes - peer.lastBytes) * 8) / (now - peer.lastBytesAt));
        peer.lastBytes = bytes;
        peer.lastBytesAt = now;
        if (!peer.closed) ConfhostRtc.emit(peer.handle, out);
      }).catch(function () {});
    },
    // [[r, g, b], ...] at (fx, fy) in 0..1 of the peer's newest video frame; null before the first.
    sample: function (handle, points) {
      var peer = ConfhostRtc.peers[handle];
      var v = peer && peer.video;
      if (!v || v.readyState < 2 || !v.videoWidth) return null;
      var c = document.createElement('canvas');
      c.width = v.videoWidth;
      c.height = v.videoHeight;
      var ctx = c.getContext('2d');
      ctx.drawImage(v, 0, 0);
      return points.map(function (p) {
        var d = ctx.getImageData(Math.min(c.width - 1, Math.floor(p[0] * c.width)), Math.min(c.height - 1, Math.floor(p[1] * c.height)), 1, 1).data;
        return [d[0], d[1], d[2]];
      });
    },
    // dB (AnalyserNode scale) of the peer's received audio at each frequency; null without audio.
    toneLevels: function (handle, frequencies) {
      var peer = ConfhostRtc.peers[handle];
      if (!peer || !peer.audios || !peer.audios.length) return null;
      if (!peer.analyser) {
        var ctx = ConfhostRtc.audio();
        peer.analyser = ctx.createAnalyser();
        peer.analyser.fftSize = 8192;
        ctx.createMediaStreamSource(peer.audios[0].srcObject).connect(peer.analyser);
      }
      var bins = new Float32Array(peer.analyser.frequencyBinCount);
      peer.analyser.getFloatFrequencyData(bins);
      var hz = peer.analyser.context.sampleRate / peer.analyser.fftSize;
      return frequencies.map(function (f) {
        var i = Math.round(f / hz);
        return Math.max(bins[i - 1] || -200, bins[i], bins[i + 1] || -200);
      });
    },
    freeVideo: function (peer) {
      peer.copies.forEach(function (c) { c.srcObject = null; c.remove(); });
      peer.copies = [];
      if (peer.video) {
        peer.video.srcObject = null;
        peer.video.remove();
        peer.video = null;
      }
    },
  },

  confhost_rtc_available: function () {
    return typeof RTCPeerConnection === 'function' ? 1 : 0;
  },

  // config: {iceServers, direction, audio, video, offerer, source, maxBitrateKbps, remoteAudio, media}
  confhost_rtc_create_peer__deps: ['$ConfhostRtc'],
  confhost_rtc_create_peer: function (handle, configPtr) {
    var config = JSON.parse(UTF8ToString(configPtr));
    var peer = {
      handle: handle, config: config, pc: null, closed: false, queue: Promise.resolve(), local: null,
      video: null, copies: [], frames: 0, audios: [], audioNodes: [],
      lastBytes: 0, lastBytesAt: 0, timer: 0,
    };
    ConfhostRtc.peers[handle] = peer;
    try {
      peer.pc = new RTCPeerConnection({ iceServers: ConfhostRtc.iceServers(config.iceServers) });
    } catch (e) {
      ConfhostRtc.emit(handle, { type: 'error', reason: 'RTCPeerConnection: ' + e.message });
      return;
    }
    var pc = peer.pc;
    pc.onicecandidate = function (e) {
      if (peer.closed) return;
      if (e.candidate && e.candidate.candidate) {
        ConfhostRtc.emit(handle, { type: 'candidate', mid: e.candidate.sdpMid || '', candidate: e.candidate.candidate });
      } else if (!e.candidate) {
        ConfhostRtc.emit(handle, { type: 'gatheringDone' });
      }
    };
    pc.onconnectionstatechange = function () {
      var s = pc.connectionState;
      if (!peer.closed && (s === 'connected' || s === 'disconnected' || s === 'failed' || s === 'closed')) {
        ConfhostRtc.emit(handle, { type: 'state', state: s });
      }
    };
    pc.ontrack = function (e) {
      if (peer.closed) return;
      if (e.track.kind === 'video') ConfhostRtc.attachVideo(peer, e.streams[0] || new MediaStream([e.track]));
      else ConfhostRtc.attachAudio(peer, e.track);
    };
    var sends = ConfhostRtc.sends(config.direction);
    ConfhostRtc.run(peer, function () {
      return (sends ? ConfhostRtc.localTracks(config) : Promise.resolve({ audio: null, video: null })).then(function (tracks) {
        peer.local = tracks;
        if (!config.offerer || peer.closed) return;
        var add = function (kind, track) {
          var init = { direction: config.direction };
          if (kind === 'video' && sends) init.sendEncodings = ConfhostRtc.videoEncodings(peer, null);
          pc.addTransceiver(sends && track ? track : kind, init);
        };
        if (config.audio) add('audio', tracks.audio);
        if (config.video) add('video', tracks.video);
      });
    });
    peer.timer = setInterval(function () { ConfhostRtc.stats(peer); }, 1000);
  },

  confhost_rtc_create_offer__deps: ['$ConfhostRtc'],
  confhost_rtc_create_offer: function (handle) {
    var peer = ConfhostRtc.peers[handle];
    if (!peer) return;
    ConfhostRtc.run(peer, function () {
      return peer.pc.createOffer().then(function (offer) {
        return peer.pc.setLocalDescription(offer);
      }).then(function () {
        if (!peer.closed) ConfhostRtc.emit(handle, { type: 'offer', sdp: peer.pc.localDescription.sdp });
      });
    });
  },

  confhost_rtc_create_answer__deps: ['$ConfhostRtc'],
  confhost_rtc_create_answer: function (handle) {
    var peer = ConfhostRtc.peers[handle];
    if (!peer) return;
    ConfhostRtc.run(peer, function () {
      return peer.pc.createAnswer().then(function (answer) {
        return peer.pc.setLocalDescription(answer);
      }).then(function () {
        if (!peer.closed) ConfhostRtc.emit(handle, { type: 'answer', sdp: peer.pc.localDescription.sdp });
      });
    });
  },

  confhost_rtc_set_remote__deps: ['$ConfhostRtc'],
  confhost_rtc_set_remote: function (handle, typePtr, sdpPtr) {
    var peer = ConfhostRtc.peers[handle];
    if (!peer) return;
    var description = { type: UTF8ToString(typePtr), sdp: UTF8ToString(sdpPtr) };
    ConfhostRtc.run(peer, function () {
      return peer.pc.setRemoteDescription(description).then(function () {
        // Answering a server offer: put our local tracks on the transceivers it created.
        if (description.type !== 'offer' || !ConfhostRtc.sends(peer.config.direction) || !peer.local) return null;
        var jobs = [];
        peer.pc.getTransceivers().forEach(function (t) {
          var kind = t.receiver.track && t.receiver.track.kind;
          var track = kind === 'audio' ? peer.local.audio : kind === 'video' ? peer.local.video : null;
          if (!track) return;
          t.direction = peer.config.direction;
          jobs.push(t.sender.replaceTrack(track));
        });
        return Promise.all(jobs).then(function () { return ConfhostRtc.applyVideoSend(peer); });
      });
    });
  },

  confhost_rtc_set_ice_servers__deps: ['$ConfhostRtc'],
  confhost_rtc_set_ice_servers: function (handle, jsonPtr) {
    var peer = ConfhostRtc.peers[handle];
    if (!peer || !peer.pc) return;
    try {
      peer.pc.setConfiguration({ iceServers: ConfhostRtc.iceServers(JSON.parse(UTF8ToString(jsonPtr))) });
    } catch (e) {
      ConfhostRtc.emit(handle, { type: 'error', reason: 'setConfiguration: ' + e.message });
    }
  },

  confhost_rtc_set_video_send__deps: ['$ConfhostRtc'],
  confhost_rtc_set_video_send: function (handle, modePtr) {
    var peer = ConfhostRtc.peers[handle];
    if (!peer || peer.closed) return;
    peer.config.videoSend = UTF8ToString(modePtr);
    ConfhostRtc.run(peer, function () { return ConfhostRtc.applyVideoSend(peer); });
  },

  confhost_rtc_close__deps: ['$ConfhostRtc'],
  confhost_rtc_close: function (handle) {
    var peer = ConfhostRtc.peers[handle];
    if (!peer || handle === 0) return;
    peer.closed = true;
    clearInterval(peer.timer);
    if (peer.pc) peer.pc.close();
    peer.audioNodes.forEach(function (n) { n.disconnect(); });
    if (peer.analyser) peer.analyser.disconnect();
    peer.audios.forEach(function (a) { a.srcObject = null; a.remove(); });
    ConfhostRtc.freeVideo(peer);
    delete ConfhostRtc.peers[handle];
  },

  // ---- live video on the console ----
  // A tile's video is the peer's <video> element itself, placed behind the canvas under the tile, seen
  // through the transparent hole ImGui leaves there (app/platform/media/video_overlay.cpp). The browser
  // composites each new frame at the tile's size: no WebGL upload and no ImGui frame per video frame.
  confhost_rtc_begin_draw__deps: ['$ConfhostRtc'],
  confhost_rtc_begin_draw: function () {
    ConfhostRtc.drawSerial++;
  },
  // (x, y, w, h) in the canvas's backing-store pixels, where the ImGui frame is displayW wide.
  confhost_rtc_place_video__deps: ['$ConfhostRtc'],
  confhost_rtc_place_video: function (handle, x, y, w, h) {
    var peer = ConfhostRtc.peers[handle];
    if (!peer || !peer.video) return;
    if (peer.placedAt !== ConfhostRtc.drawSerial) {
      peer.placedAt = ConfhostRtc.drawSerial;
      peer.placed = 0;
    }
    // The same stream on two tiles: a second element on the same stream (decoded once).
    var k = peer.placed++;
    var el = k === 0 ? peer.video : peer.copies[k - 1];
    if (!el) {
      el = document.createElement('video');
      el.muted = true;
      el.playsInline = true;
      el.srcObject = peer.video.srcObject;
      ConfhostRtc.mediaRoot().appendChild(el);
      el.play().catch(function () {});
      peer.copies.push(el);
    }
    var canvas = Module['canvas'];
    var box = canvas.getBoundingClientRect();
    var s = canvas.width > 0 ? box.width / canvas.width : 1;
    var css = 'left:' + (box.left + x * s) + 'px;top:' + (box.top + y * s) + 'px;width:' + w * s + 'px;height:' + h * s + 'px';
    if (el.confhostPlace !== css) {
      el.confhostPlace = css;
      el.style.cssText = css;
      el.classList.add('on-tile');
    }
  },
  // Videos no tile showed in this frame go back to their off-tile spot (tiny, still playing).
  confhost_rtc_end_draw__deps: ['$ConfhostRtc'],
  confhost_rtc_end_draw: function () {
    Object.keys(ConfhostRtc.peers).forEach(function (key) {
      var peer = ConfhostRtc.peers[key];
      if (!peer.video) return;
      var placed = peer.placedAt === ConfhostRtc.drawSerial ? peer.placed : 0;
      [peer.video].concat(peer.copies).forEach(function (el, i) {
        if (i < placed || !el.confhostPlace) return;
        el.confhostPlace = '';
        el.style.cssText = '';
        el.classList.remove('on-tile');
      });
      while (peer.copies.length > Math.max(0, placed - 1)) {
        var c = peer.copies.pop();
        c.srcObject = null;
        c.remove();
      }
    });
  },

  // Size and presented-frame count of a peer's video: out = {width, height, frames}; 0 when it has no
  // video yet.
  confhost_rtc_video_info__deps: ['$ConfhostRtc'],
  confhost_rtc_video_info: function (handle, out) {
    var peer = ConfhostRtc.peers[handle];
    if (!peer || !peer.video || peer.video.readyState < 2 || !peer.video.videoWidth) return 0;
    HEAP32[out >> 2] = peer.video.videoWidth;
    HEAP32[(out >> 2) + 1] = peer.video.videoHeight;
    HEAP32[(out >> 2) + 2] = peer.frames;
    return 1;
  },

  // ---- the mixer's canvas: drawn with Canvas2D at the composition's size, captured for the publish ----
  confhost_mixer_setup__deps: ['$ConfhostRtc'],
  confhost_mixer_setup: function (width, height, framerate) {
    var m = ConfhostRtc.mixer;
    if (!m) {
      var canvas = document.createElement('canvas');
      canvas.id = 'composite';
      ConfhostRtc.mediaRoot().appendChild(canvas);
      m = ConfhostRtc.mixer = { canvas: canvas, ctx: canvas.getContext('2d', { alpha: false }), stream: null, destination: null };
    }
    m.canvas.width = width;
    m.canvas.height = height;
    if (!m.stream) m.stream = m.canvas.captureStream(framerate);
  },

  // scene: {background, labelFont, items: [{x,y,w,h, vx,vy,vw,vh (letterboxed video rect), handle, label,
  //   presenter, stalled, tileColor, borderColor, labelColor}]} — every number and colour comes from C++.
  confhost_mixer_draw__deps: ['$ConfhostRtc'],
  confhost_mixer_draw: function (scenePtr) {
    var m = ConfhostRtc.mixer;
    if (!m) return;
    var scene = JSON.parse(UTF8ToString(scenePtr));
    var ctx = m.ctx;
    ctx.fillStyle = scene.background;
    ctx.fillRect(0, 0, m.canvas.width, m.canvas.height);
    ctx.font = scene.labelFont;
    ctx.textBaseline = 'bottom';
    scene.items.forEach(function (it) {
      ctx.fillStyle = it.tileColor;
      ctx.fillRect(it.x, it.y, it.w, it.h);
      var peer = ConfhostRtc.peers[it.handle];
      if (peer && peer.video && peer.video.readyState >= 2 && it.vw > 0) {
        ctx.drawImage(peer.video, it.vx, it.vy, it.vw, it.vh);
      }
      if (it.presenter || it.stalled) {
        ctx.strokeStyle = it.borderColor;
        ctx.lineWidth = scene.borderWidth;
        ctx.strokeRect(it.x + scene.borderWidth / 2, it.y + scene.borderWidth / 2, it.w - scene.borderWidth, it.h - scene.borderWidth);
      }
      ctx.fillStyle = 'rgba(0,0,0,0.6)';
      ctx.fillRect(it.x, it.y + it.h - scene.labelHeight, it.w, scene.labelHeight);
      ctx.fillStyle = it.labelColor;
      ctx.fillText(it.label, it.x + scene.labelPadding, it.y + it.h - scene.labelPadding);
    });
  },
});
