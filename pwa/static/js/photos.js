/** Photos: shrink to ~1600 px JPEG, keep as ArrayBuffer (Safari cannot store Blobs reliably) with its SHA-256. */
import {savePhoto, get} from './db.js';

export const MAX_EDGE = 1600;
const QUALITY = 0.82;

export async function sha256Hex(buffer) {
  const digest = await crypto.subtle.digest('SHA-256', buffer);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

async function toJpeg(file) {
  const bitmap = await createImageBitmap(file, {imageOrientation: 'from-image'});
  const scale = Math.min(1, MAX_EDGE / Math.max(bitmap.width, bitmap.height));
  const w = Math.round(bitmap.width * scale), h = Math.round(bitmap.height * scale);
  const canvas = document.createElement('canvas');
  canvas.width = w; canvas.height = h;
  canvas.getContext('2d').drawImage(bitmap, 0, 0, w, h);
  bitmap.close?.();
  const blob = await new Promise((resolve, reject) => canvas.toBlob(
    (b) => (b ? resolve(b) : reject(new Error('encode failed'))), 'image/jpeg', QUALITY));
  return blob.arrayBuffer();
}

/** Compress, hash and store a picked file; returns the sha256 the records reference. */
export async function addPhoto(file) {
  return keepPhoto(await toJpeg(file), 'image/jpeg');
}

/** Hash and store image bytes made on the phone (a drawn signature: PNG) like a photo. */
export async function keepPhoto(bytes, type) {
  const sha256 = await sha256Hex(bytes);
  const existing = await get('photos', sha256);
  if (!existing) await savePhoto({sha256, type, bytes, size: bytes.byteLength, uploaded: false, created_at: Date.now()});
  return sha256;
}

/** Object URL for a stored photo (caller revokes it). */
export async function photoUrl(sha256) {
  const photo = await get('photos', sha256);
  return photo ? URL.createObjectURL(new Blob([photo.bytes], {type: photo.type})) : null;
}
