#!/usr/bin/python3
# Publishes N streams over WHIP from one pre-encoded VP8 file (GStreamer webrtcbin: demux + RTP payload,
# no encoder), so a mixer benchmark's inputs cost this machine almost nothing and the mixer's own frame
# rate is what gets measured. Prints "ready <name>" per stream once its publish is answered, then runs
# until stdin closes or SIGTERM.
#
#   vp8_whip_publisher.py --file in.webm --endpoint https://localhost:9543/as/v1/proxy/whip/live/r_wr --names a,b
#   vp8_whip_publisher.py --make in.webm [--seconds 90]    encodes the file once (a moving test pattern)
import argparse
import signal
import ssl
import sys
import threading
import urllib.request

import gi

gi.require_version('Gst', '1.0')
gi.require_version('GstWebRTC', '1.0')
gi.require_version('GstSdp', '1.0')
from gi.repository import GLib, Gst, GstSdp, GstWebRTC  # noqa: E402


def make_file(path, seconds):
    frames = seconds * 15
    pipeline = Gst.parse_launch(
        f'videotestsrc num-buffers={frames} pattern=ball ! video/x-raw,width=640,height=360,framerate=15/1 '
        f'! vp8enc deadline=1 cpu-used=8 target-bitrate=600000 keyframe-max-dist=30 ! webmmux '
        f'! filesink location={path}')
    pipeline.set_state(Gst.State.PLAYING)
    msg = pipeline.get_bus().timed_pop_filtered(Gst.CLOCK_TIME_NONE, Gst.MessageType.EOS | Gst.MessageType.ERROR)
    pipeline.set_state(Gst.State.NULL)
    if msg.type == Gst.MessageType.ERROR:
        sys.exit(f'encoding {path} failed: {msg.parse_error()[0].message}')


class Publisher:
    def __init__(self, file, url, name, ctx):
        self.url, self.name, self.ctx = url, name, ctx
        self.pipeline = Gst.parse_launch(
            f'filesrc location={file} ! matroskademux ! queue ! rtpvp8pay pt=96 mtu=1200 '
            f'! application/x-rtp,media=video,encoding-name=VP8,payload=96,clock-rate=90000 '
            f'! webrtcbin name=webrtc bundle-policy=max-bundle')
        self.webrtc = self.pipeline.get_by_name('webrtc')
        self.webrtc.connect('on-negotiation-needed', self.on_negotiation_needed)
        self.webrtc.connect('notify::ice-gathering-state', self.on_gathering)
        self.pipeline.get_bus().add_signal_watch()
        self.pipeline.get_bus().connect('message', self.on_message)
        self.posted = False
        self.pipeline.set_state(Gst.State.PLAYING)

    def on_message(self, bus, msg):
        if msg.type == Gst.MessageType.EOS:
            print(f'ended {self.name}', flush=True)
        elif msg.type == Gst.MessageType.ERROR:
            print(f'error {self.name}: {msg.parse_error()[0].message}', flush=True)

    def on_negotiation_needed(self, element):
        self.tries = 0
        self.create_offer()

    def create_offer(self):
        promise = Gst.Promise.new_with_change_func(self.on_offer, None)
        self.webrtc.emit('create-offer', None, promise)
        return False

    def on_offer(self, promise, _):
        reply = promise.get_reply()
        offer = reply.get_value('offer') if reply and reply.has_field('offer') else None
        if offer is None:
            # Before the demuxer has linked its pad the transceiver has no caps yet: ask again shortly.
            self.tries += 1
            if self.tries < 50:
                GLib.timeout_add(100, self.create_offer)
            else:
                print(f'error {self.name}: create-offer gave no offer ({reply.to_string() if reply else "no reply"})', flush=True)
            return
        self.webrtc.emit('set-local-description', offer, Gst.Promise.new())

    def on_gathering(self, element, _):
        # Non-trickle WHIP: the offer goes out with every candidate in it.
        if element.get_property('ice-gathering-state') != GstWebRTC.WebRTCICEGatheringState.COMPLETE or self.posted:
            return
        self.posted = True
        sdp = element.get_property('local-description').sdp.as_text()
        threading.Thread(target=self.post, args=(sdp,), daemon=True).start()

    def post(self, sdp):
        req = urllib.request.Request(f'{self.url}/{self.name}', data=sdp.encode(), method='POST',
                                     headers={'Content-Type': 'application/sdp'})
        try:
            with urllib.request.urlopen(req, context=self.ctx, timeout=20) as res:
                answer = res.read().decode()
        except Exception as e:  # noqa: BLE001 — reported to the bench, which fails on it
            print(f'error {self.name}: WHIP POST: {e}', flush=True)
            return
        GLib.idle_add(self.answer, answer)

    def answer(self, text):
        _, msg = GstSdp.SDPMessage.new_from_text(text)
        desc = GstWebRTC.WebRTCSessionDescription.new(GstWebRTC.WebRTCSDPType.ANSWER, msg)
        self.webrtc.emit('set-remote-description', desc, Gst.Promise.new())
        print(f'ready {self.name}', flush=True)
        return False


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--make')
    ap.add_argument('--seconds', type=int, default=90)
    ap.add_argument('--file')
    ap.add_argument('--endpoint')
    ap.add_argument('--names', default='')
    args = ap.parse_args()
    Gst.init(None)
    if args.make:
        make_file(args.make, args.seconds)
        return
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE  # the local stack's self-signed certificate
    loop = GLib.MainLoop()
    publishers = [Publisher(args.file, args.endpoint, n, ctx) for n in args.names.split(',') if n]
    signal.signal(signal.SIGTERM, lambda *_: loop.quit())
    threading.Thread(target=lambda: (sys.stdin.read(), GLib.idle_add(loop.quit)), daemon=True).start()
    loop.run()
    for p in publishers:
        p.pipeline.set_state(Gst.State.NULL)


if __name__ == '__main__':
    main()
