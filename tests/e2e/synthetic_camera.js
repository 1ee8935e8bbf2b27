// A participant's synthetic camera and microphone, installed before the page's scripts run (playwright
// addInitScript with {name, rgb, tone}). getUserMedia answers with a canvas capture — a solid colour
// with the participant's name in a corner — and a sine tone, so the end-to-end test can recognise each
// participant by pixels and by spectrum wherever their media ends up. Everything after getUserMedia is
// the console's real path (WHIP publish, conference publish, previews, mixer, mix-minus).
// window.__syntheticCamera.setTone(false) silences the tone (the track goes on, carrying silence, as a
// person who stops speaking), setTone(true) brings it back.
({ name, rgb, tone }) => {
  const colour = `rgb(${rgb.join(',')})`;
  let devices = null;
  let gain = null;
  const kToneGain = 0.5;
  const make = () => {
    const canvas = document.createElement('canvas');
    canvas.width = 640;
    canvas.height = 360;
    // Off-screen but attached: a detached canvas's capture may stop producing frames.
    canvas.style.cssText = 'position:fixed;left:-10000px;top:0;width:64px;height:36px';
    (document.body || document.documentElement).appendChild(canvas);
    const g = canvas.getContext('2d');
    let n = 0;
    // captureStream emits a frame only when the canvas changes: repaint on a timer (a frame producer,
    // not synchronisation), with a small moving marker so every frame differs.
    const paint = () => {
      g.fillStyle = colour;
      g.fillRect(0, 0, canvas.width, canvas.height);
      g.fillStyle = '#ffffff';
      g.font = 'bold 28px sans-serif';
      g.fillText(name, 16, 344);
      g.fillRect(600 + (n++ % 20), 340, 4, 4);
    };
    paint();
    setInterval(paint, 50);
    const video = canvas.captureStream(20).getVideoTracks()[0];
    const ctx = new AudioContext();
    const osc = ctx.createOscillator();
    osc.frequency.value = tone;
    gain = ctx.createGain();
    gain.gain.value = kToneGain;
    const dest = ctx.createMediaStreamDestination();
    osc.connect(gain).connect(dest);
    osc.start();
    return { video, audio: dest.stream.getAudioTracks()[0] };
  };
  const getUserMedia = async (constraints = {}) => {
    if (!devices) devices = make();
    const tracks = [];
    if (constraints.video) tracks.push(devices.video);
    if (constraints.audio) tracks.push(devices.audio);
    return new MediaStream(tracks);
  };
  Object.defineProperty(navigator.mediaDevices, 'getUserMedia', { value: getUserMedia, configurable: true });
  const setTone = (on) => { if (gain) gain.gain.value = on ? kToneGain : 0; };
  window.__syntheticCamera = { name, rgb, tone, setTone };
}
