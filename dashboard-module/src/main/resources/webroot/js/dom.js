// Small DOM helpers: elements are built with textContent only, so no server text is ever parsed as HTML.

const SVG_NS = 'http://www.w3.org/2000/svg';

/** h('button', {class: 'btn', onclick: fn, dataset: {testid: 'x'}}, 'text', child…) */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  applyAttrs(el, attrs);
  append(el, children);
  return el;
}

/** The same for SVG elements (the chart). */
export function s(tag, attrs, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  applyAttrs(el, attrs);
  append(el, children);
  return el;
}

function applyAttrs(el, attrs) {
  if (!attrs) return;
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'dataset') {
      for (const [k, v] of Object.entries(value)) {
        if (v !== undefined && v !== null) el.dataset[k] = String(v);
      }
    } else if (key.startsWith('on') && typeof value === 'function') {
      el.addEventListener(key.slice(2), value);
    } else if (key === 'text') {
      el.textContent = value;
    } else if (value === true) {
      el.setAttribute(key, '');
    } else {
      el.setAttribute(key, String(value));
    }
  }
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces the children of el, keeping keyboard focus on the "same" control when it is rebuilt. */
export function replaceChildren(el, ...children) {
  const active = document.activeElement;
  const key = active && el.contains(active) ? focusKey(active, el) : null;
  el.replaceChildren();
  append(el, children);
  if (key) {
    const again = el.querySelector(key);
    if (again) again.focus();
  }
}

function focusKey(node, root) {
  if (node.id) return '#' + CSS.escape(node.id);
  const testid = node.dataset && node.dataset.testid;
  if (!testid) return null;
  const own = `[data-testid="${CSS.escape(testid)}"]`;
  // the same control of the same organization's row
  const scope = node.parentElement && node.parentElement.closest('[data-org]');
  return scope && root.contains(scope) ? `[data-org="${CSS.escape(scope.dataset.org)}"] ${own}` : own;
}

/** A screen reader hears text put here without moving focus. */
export function announce(text) {
  const region = document.getElementById('announcer');
  if (!region) return;
  region.textContent = '';
  // a new text node in a fresh tick makes screen readers read repeated messages too
  setTimeout(() => { region.textContent = text; }, 50);
}
