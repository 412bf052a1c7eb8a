// The HTTP API of DESIGN §5: JSON in and out, errors {error, code}, X-XSRF-TOKEN on every change.

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message || code || String(status));
    this.status = status;
    this.code = code;
  }
}

const CHANGES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
let onUnauthorized = () => {};

/** Called when the session cookie is missing or expired (401), so the app shows the login. */
export function whenUnauthorized(fn) {
  onUnauthorized = fn;
}

/** The XSRF-TOKEN cookie's value, sent back as a header; the session cookie itself is HttpOnly. */
export function xsrfToken() {
  for (const part of document.cookie.split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === 'XSRF-TOKEN') return rest.join('=');
  }
  return null;
}

export async function api(method, path, body, { quiet401 = false } = {}) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (CHANGES.has(method)) {
    const token = xsrfToken();
    if (token) headers['X-XSRF-TOKEN'] = token;
  }
  let response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
      cache: 'no-store',
    });
  } catch (e) {
    throw new ApiError(0, 'network', null);
  }
  const text = await response.text();
  let data = null;
  if (text) {
    try { data = JSON.parse(text); } catch (e) { data = null; }
  }
  if (!response.ok) {
    if (response.status === 401 && !quiet401) onUnauthorized();
    const error = data && typeof data === 'object' ? data : {};
    throw new ApiError(response.status, error.code || null, error.error || null);
  }
  return data;
}

export const get = (path, opts) => api('GET', path, undefined, opts);
export const post = (path, body, opts) => api('POST', path, body === undefined ? {} : body, opts);
export const patch = (path, body) => api('PATCH', path, body);
export const del = (path) => api('DELETE', path);

/** GET that answers null instead of failing on 404 (routes that may not exist yet). */
export async function getOptional(path) {
  try {
    return await get(path);
  } catch (e) {
    if (e.status === 404 || e.status === 405 || e.status === 501) return null;
    throw e;
  }
}

/** Accepts a bare array or an object wrapping one ({entries: […]}, {orgs: […]}…). */
export function asArray(data, ...keys) {
  if (Array.isArray(data)) return data;
  if (data && typeof data === 'object') {
    for (const key of keys) {
      if (Array.isArray(data[key])) return data[key];
    }
  }
  return [];
}

export const enc = encodeURIComponent;
