/* Web Worker: decodes QR codes from ImageData with zxing-wasm, whose .wasm is served by us (never a CDN). */
import {prepareZXingModule, readBarcodes} from '/static/vendor/zxing-wasm/es/reader/index.js';

const WASM_URL = new URL('/static/vendor/zxing-wasm/zxing_reader.wasm', self.location.origin).href;

const ready = prepareZXingModule({
  overrides: {locateFile: (path, prefix) => (path.endsWith('.wasm') ? WASM_URL : prefix + path)},
  fireImmediately: true,
}).then(() => self.postMessage({type: 'ready'}), (e) => self.postMessage({type: 'error', message: String(e)}));

const OPTIONS = {formats: ['QRCode'], tryHarder: true, maxNumberOfSymbols: 1};

self.onmessage = async (event) => {
  const {id, width, height, buffer} = event.data;
  await ready;
  try {
    const image = new ImageData(new Uint8ClampedArray(buffer), width, height);
    const results = await readBarcodes(image, OPTIONS);
    const hit = results.find((r) => r.isValid);
    self.postMessage({type: 'frame', id, text: hit ? hit.text : null});
  } catch (e) {
    self.postMessage({type: 'frame', id, text: null, error: String(e)});
  }
};
