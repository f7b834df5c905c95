/** The boot's head start: IndexedDB opened, and on /scan the decoder worker and the camera, before the boot graph has run.
 *  index.html runs this module async (no static imports: it evaluates as soon as it arrives, while the
 *  rest of the boot graph is still being fetched). Everywhere it opens the database (db.js evaluated
 *  early: opening it takes the browser 100-200 ms on a slow phone, which the boot's first read waited
 *  for); on /scan it starts the zxing-wasm worker (its fetch and compile run on the worker's thread),
 *  the scan screen's modules and, for a phone that was signed in when it last booted, the camera.
 *  scanner.js takes the worker and the stream from here, so nothing is opened twice. */
const CAMERA = {audio: false, video: {facingMode: {ideal: 'environment'}, width: {ideal: 1280}, height: {ideal: 720}}};
// Written by main.js at every boot (a synchronous read here: IndexedDB's user is not known this early).
export const SIGNED_IN_HINT = 'xj-signed-in';
// A stream nobody takes soon (the app went elsewhere) is stopped, never left running.
const UNCLAIMED_CAMERA_MS = 5000;

let worker = null;
let workerReady = null;
let early = null;

/** Start the decoder worker (once) so the wasm is compiled before the engineer reaches a label. */
export function warmUpWorker() {
  if (worker) return workerReady;
  worker = new Worker('/static/js/scanner-worker.js', {type: 'module'});
  workerReady = new Promise((resolve, reject) => {
    const onMessage = (e) => {
      if (e.data.type === 'ready') { worker.removeEventListener('message', onMessage); resolve(worker); }
      if (e.data.type === 'error') { worker.removeEventListener('message', onMessage); reject(new Error(e.data.message)); }
    };
    worker.addEventListener('message', onMessage);
  });
  workerReady.catch(() => {}); // a failure is the scanner's to show, when it awaits the decoder
  return workerReady;
}

/** Start opening the back camera now for a scanner about to start (boot on /scan). */
export function openCameraEarly() {
  if (early || !navigator.mediaDevices?.getUserMedia) return;
  const pending = navigator.mediaDevices.getUserMedia(CAMERA);
  pending.catch(() => {}); // a refusal is the scanner's to show, when it takes the stream
  early = pending;
  setTimeout(() => { if (early === pending) stopEarlyCamera(); }, UNCLAIMED_CAMERA_MS);
}

/** Stop a camera opened early that no scanner will take (nobody signed in after all). */
export function stopEarlyCamera() {
  const pending = early;
  early = null;
  pending?.then((stream) => { for (const t of stream.getTracks()) t.stop(); }, () => {});
}

/** The stream opened early, or a new one. */
export function takeCamera() {
  const pending = early;
  early = null;
  return pending || navigator.mediaDevices.getUserMedia(CAMERA);
}

function signedInLastBoot() {
  try { return localStorage.getItem(SIGNED_IN_HINT) === '1'; } catch { return false; }
}

import('./db.js').catch(() => {});
if (location.pathname === '/scan') {
  warmUpWorker();
  // The scan screen's own modules (not in the boot graph) come beside the boot graph, not after it.
  import('./screens/scan.js').catch(() => {});
  if (signedInLastBoot()) openCameraEarly();
}
