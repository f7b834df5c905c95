/** One fetch wrapper for the phone and the office pages: JSON, same-origin cookies, X-CSRF-Token
 *  on writes, a stale token refreshed once, and one ApiError for the server's one error shape. */
import {t, hasText, getLang} from './i18n.js';

/** The server answered >= 400: {error: {code, status, message, code_name, errors, request_id}}
 *  (server/errors.py); requestId also from the X-Request-Id header (a proxy's bodiless 502). */
export class ApiError extends Error {
  constructor(status, body, requestId = null) {
    const err = (body && body.error) || {};
    super(err.message || `HTTP ${status}`);
    this.status = status;
    this.body = body;
    this.codeName = err.code_name || null;
    this.fieldErrors = err.errors || null;
    this.requestId = err.request_id || requestId || null;
  }
}

/** The network itself failed (offline, DNS, reset): retry later. */
export class NetworkError extends Error {}

const WRITE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** A client; csrf() gives the current token, refresh() fetches a new one (after a 400 csrf). */
export function createClient({csrf = async () => '', refresh = async () => {}, onUnauthorized = null} = {}) {
  async function raw(method, url, {json, body, headers = {}} = {}) {
    const h = {Accept: 'application/json', ...headers};
    if (WRITE.has(method)) h['X-CSRF-Token'] = (await csrf()) || '';
    if (json !== undefined) { h['Content-Type'] = 'application/json'; body = JSON.stringify(json); }
    try {
      return await fetch(url, {method, headers: h, body, credentials: 'same-origin', cache: 'no-store'});
    } catch (e) {
      throw new NetworkError(e.message);
    }
  }

  /** The answer itself (for PDFs, images: read its body yourself); raises ApiError / NetworkError. */
  async function send(method, url, options = {}) {
    let response = await raw(method, url, options);
    if (response.status === 400 && WRITE.has(method)) {
      const body = await parse(response.clone());
      if (body?.error?.code_name === 'csrf') {
        await refresh();
        response = await raw(method, url, options);
      }
    }
    if (response.status >= 400) {
      const error = new ApiError(response.status, await parse(response), response.headers.get('X-Request-Id'));
      if (response.status === 401 && onUnauthorized) onUnauthorized(error);
      throw error;
    }
    return response;
  }

  /** Call the API; returns {status, body}. */
  async function request(method, url, options = {}) {
    const response = await send(method, url, options);
    return {status: response.status, body: await parse(response)};
  }

  return {
    send, request,
    get: (url) => request('GET', url),
    post: (url, json) => request('POST', url, {json}),
    put: (url, json) => request('PUT', url, {json}),
    head: (url) => request('HEAD', url),
    putBytes: (url, bytes, contentType) => request('PUT', url, {body: bytes, headers: {'Content-Type': contentType}}),
  };
}

export async function parse(response) {
  const type = response.headers.get('Content-Type') || '';
  if (response.status === 204 || !type.includes('json')) return null;
  try { return await response.json(); } catch { return null; }
}

/** A server error code_name (or a sync rejection code) in the user's language. */
export function codeText(codeName, status = null) {
  if (codeName && hasText(`err_${codeName}`)) return t(`err_${codeName}`);
  if (status === 401) return t('err_unauthorized');
  if (status === 403) return t('err_forbidden');
  if (status === 404) return t('err_not_found');
  if (status >= 500) return t('err_server_error');
  return t('err_other');
}

/** Per-field errors ({field: [message]} or nested) as "field: text" lines (the server's English:
 *  shown in English mode, or as a collapsed detail on a Chinese screen). */
export function fieldLines(errors, prefix = '') {
  if (!errors || typeof errors !== 'object') return [];
  const lines = [];
  for (const [key, value] of Object.entries(errors)) {
    const name = prefix ? `${prefix}.${key}` : key;
    if (Array.isArray(value) && value.every((v) => typeof v === 'string')) {
      lines.push(`${name}: ${value.join(' ')}`);
    } else if (value && typeof value === 'object') {
      lines.push(...fieldLines(value, name));
    } else {
      lines.push(`${name}: ${value}`);
    }
  }
  return lines;
}

/** {text, fields, detail, ref} of any error: text translated by code_name; detail is the server's
 *  English prose, for an English screen or a collapsed "details" line; ref, for a server error, the
 *  request id to quote (the operator finds its log lines by it, docs/observability.md). */
export function describeError(error) {
  if (error instanceof NetworkError) return {text: t('err_network'), fields: [], detail: error.message};
  if (error instanceof ApiError) {
    const ref = error.status >= 500 && error.requestId ? error.requestId : null;
    return {text: codeText(error.codeName, error.status), fields: fieldLines(error.fieldErrors), detail: error.message, ref};
  }
  return {text: t('err_other'), fields: [], detail: String(error?.message || error)};
}

/** One line for a toast or a form: the translated text; in English also the fields and the prose. */
export function errorText(error) {
  const {text, fields, detail, ref} = describeError(error);
  const quoted = ref ? `${text} ${t('error_ref', {id: ref})}` : text;
  if (getLang() !== 'en') return quoted;
  const parts = [quoted];
  if (detail && detail !== text) parts.push(`— ${detail}`);
  if (fields.length) parts.push(`(${fields.join('; ')})`);
  return parts.join(' ');
}
