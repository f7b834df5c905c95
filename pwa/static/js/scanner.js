/** Camera scanner: frames from getUserMedia go to a worker running zxing-wasm; torch when the camera has one.
 *  Without getUserMedia (in-app browsers), a photo of the label goes to the same decoder. */
import {warmUpWorker, takeCamera} from './head-start.js';

const FRAME_INTERVAL_MS = 120;
const MAX_DECODE_EDGE = 960;
const MAX_PHOTO_EDGE = 1600; // a 12 MP photo scaled down: a label filling a fifth of it keeps ~3 px a module

// The worker and the camera opened early on /scan (index.html runs head-start.js before the boot graph).
export {warmUpWorker, openCameraEarly, stopEarlyCamera} from './head-start.js';

function decode(worker, imageData, id) {
  return new Promise((resolve) => {
    const onMessage = (e) => {
      if (e.data.type === 'frame' && e.data.id === id) { worker.removeEventListener('message', onMessage); resolve(e.data.text); }
    };
    worker.addEventListener('message', onMessage);
    worker.postMessage({id, width: imageData.width, height: imageData.height, buffer: imageData.data.buffer}, [imageData.data.buffer]);
  });
}

/** Whether this browser can open a camera stream at all (WeChat's and other in-app browsers may not). */
export const hasCameraApi = () => Boolean(navigator.mediaDevices?.getUserMedia);

let photoId = 0;

/** The QR text in a photo (a File from <input type=file capture>), by the camera's decoder; null if none. */
export async function decodePhoto(file) {
  const worker = await warmUpWorker();
  const image = await loadImage(file);
  const scale = Math.min(1, MAX_PHOTO_EDGE / Math.max(image.width, image.height));
  const w = Math.max(1, Math.round(image.width * scale)), h = Math.max(1, Math.round(image.height * scale));
  const ctx = makeCanvas(w, h).getContext('2d', {willReadFrequently: true});
  ctx.drawImage(image, 0, 0, w, h);
  return decode(worker, ctx.getImageData(0, 0, w, h), --photoId); // negative ids: never a camera frame's
}

async function loadImage(file) {
  if (self.createImageBitmap) {
    try { return await createImageBitmap(file); } catch { /* an older web view: through an <img> */ }
  }
  const url = URL.createObjectURL(file);
  try {
    const img = new Image();
    img.src = url;
    await img.decode();
    return img;
  } finally { URL.revokeObjectURL(url); }
}

function makeCanvas(w, h) {
  if (typeof OffscreenCanvas !== 'undefined') return new OffscreenCanvas(w, h);
  const c = document.createElement('canvas'); c.width = w; c.height = h; return c;
}

/**
 * Open the back camera into `video` and call onText(text) for each decoded QR.
 * Returns {stop, torch(on), hasTorch}. Throws when the camera is denied or missing (caller falls back to typing).
 */
export async function startScanner(video, onText) {
  if (!navigator.mediaDevices?.getUserMedia) throw new Error('no camera API');
  const decoder = warmUpWorker(); // compile the wasm while the camera opens, not after
  const stream = await takeCamera();
  video.srcObject = stream;
  video.setAttribute('playsinline', '');
  video.muted = true;
  await video.play();
  const worker = await decoder;
  const [track] = stream.getVideoTracks();
  const caps = track.getCapabilities ? track.getCapabilities() : {};
  let stopped = false;
  let frameId = 0;
  let canvas = null;

  // The first frame is drawn in a task of its own: the caller is told the scanner is ready (camera
  // playing, decoder compiled) first, and the loop reads frames from then on.
  async function loop() {
    await new Promise((r) => setTimeout(r, 0));
    while (!stopped) {
      if (video.videoWidth) {
        const scale = Math.min(1, MAX_DECODE_EDGE / Math.max(video.videoWidth, video.videoHeight));
        const w = Math.round(video.videoWidth * scale), h = Math.round(video.videoHeight * scale);
        if (!canvas || canvas.width !== w || canvas.height !== h) canvas = makeCanvas(w, h);
        const ctx = canvas.getContext('2d', {willReadFrequently: true});
        ctx.drawImage(video, 0, 0, w, h);
        const text = await decode(worker, ctx.getImageData(0, 0, w, h), ++frameId);
        if (text && !stopped) onText(text);
      }
      await new Promise((r) => setTimeout(r, FRAME_INTERVAL_MS));
    }
  }
  loop();

  return {
    hasTorch: Boolean(caps.torch),
    torch: (on) => track.applyConstraints({advanced: [{torch: on}]}),
    stop() {
      stopped = true;
      for (const t of stream.getTracks()) t.stop();
      video.srcObject = null;
    },
  };
}
