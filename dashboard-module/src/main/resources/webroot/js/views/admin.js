// Admin pages: organizations (alert e-mails, webhook), users (edit, delete), and API keys (shown once, revocable).
import { h, replaceChildren } from '../dom.js';
import { t } from '../../i18n.js';
import { get, getOptional, post, patch, del, enc, asArray } from '../api.js';
import { confirmDialog } from '../dialog.js';
import { success, failure } from '../notices.js';
import { dateTime } from '../format.js';

const ORG_ID = /^[A-Za-z0-9_-]{1,64}$/;

function field(id, labelKey, input, hintKey) {
  input.id = id;
  if (hintKey) input.setAttribute('aria-describedby', id + '-hint');
  return h('div', { class: 'field' },
    h('label', { for: id, text: t(labelKey) }),
    input,
    hintKey ? h('p', { id: id + '-hint', class: 'muted small', text: t(hintKey) }) : null);
}

function emails(text) {
  return text.split(/[\s,;]+/).map((e) => e.trim()).filter(Boolean);
}

async function loadOrgs() {
  return asArray(await get('/api/orgs'), 'orgs');
}

function pageHead(titleKey, introKey) {
  return h('div', { class: 'page-head' }, h('h1', { text: t(titleKey) }), h('p', { class: 'muted', text: t(introKey) }));
}

// ---- organizations ----

export function mountAdminOrgs(main) {
  let alive = true;
  const list = h('section', { class: 'card', 'aria-labelledby': 'orgs-heading' });
  const editor = h('section', { class: 'card', 'aria-labelledby': 'edit-heading', hidden: true, dataset: { testid: 'org-editor' } });

  const id = h('input', { name: 'id', type: 'text', required: true, pattern: '[A-Za-z0-9_\\-]{1,64}', maxlength: 64, autocomplete: 'off', dataset: { testid: 'org-id' } });
  const name = h('input', { name: 'name', type: 'text', required: true, maxlength: 200, dataset: { testid: 'org-name' } });
  const mails = h('input', { name: 'alertEmails', type: 'text', autocomplete: 'off', dataset: { testid: 'org-emails' } });
  const webhook = h('input', { name: 'webhookUrl', type: 'url', autocomplete: 'off', dataset: { testid: 'org-webhook' } });
  const create = h('form', { class: 'card form-grid', 'aria-labelledby': 'create-org-heading', dataset: { testid: 'org-create-form' } },
    h('h2', { id: 'create-org-heading', text: t('orgs.create') }),
    field('org-id', 'orgs.id', id, 'orgs.idHint'),
    field('org-name', 'orgs.name', name),
    field('org-emails', 'orgs.emails', mails, 'orgs.emailsHint'),
    field('org-webhook', 'orgs.webhook', webhook, 'orgs.webhookHint'),
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'btn btn-primary', dataset: { testid: 'org-create-submit' } }, t('orgs.createSubmit'))));
  create.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!ORG_ID.test(id.value.trim())) {
      failure({ message: t('orgs.badId') });
      id.focus();
      return;
    }
    try {
      await post('/api/orgs', body(id.value.trim(), name.value, mails.value, webhook.value));
      success(t('orgs.created', { org: id.value.trim() }));
      create.reset();
      render();
    } catch (e) { failure(e); }
  });

  function body(orgId, orgName, mailText, hook) {
    const b = { name: orgName.trim(), alertEmails: emails(mailText) };
    if (orgId) b.id = orgId;
    b.webhookUrl = hook.trim() || null;
    return b;
  }

  async function render() {
    try {
      const orgs = await loadOrgs();
      if (!alive) return;
      const table = h('div', { class: 'table-wrap' },
        h('table', { class: 'table' },
          h('thead', {}, h('tr', {}, ['orgs.id', 'orgs.name', 'orgs.emails', 'orgs.webhook', 'overview.col.actions'].map((k) => h('th', { scope: 'col', text: t(k) })))),
          h('tbody', {}, orgs.map(orgRow))));
      replaceChildren(list,
        h('h2', { id: 'orgs-heading', text: t('orgs.list') }),
        orgs.length === 0 ? h('p', { class: 'muted', text: t('orgs.none') }) : table);
    } catch (e) {
      if (alive) replaceChildren(list, h('h2', { id: 'orgs-heading', text: t('orgs.list') }), h('p', { class: 'muted', text: t('error.generic') }));
    }
  }

  function orgRow(o) {
    return h('tr', { dataset: { testid: 'admin-org-row', org: o.id } },
      h('th', { scope: 'row', 'data-label': t('orgs.id') }, h('a', { href: '#/org/' + enc(o.id) }, o.id)),
      h('td', { 'data-label': t('orgs.name'), text: o.name || '' }),
      h('td', { 'data-label': t('orgs.emails'), text: asArray(o.alertEmails).join(', ') || '—' }),
      h('td', { 'data-label': t('orgs.webhook'), class: 'wrap', text: o.webhookUrl || '—' }),
      h('td', { 'data-label': t('overview.col.actions') }, h('div', { class: 'actions' },
        h('button', { type: 'button', class: 'btn btn-secondary btn-small', dataset: { testid: 'org-edit' }, onclick: () => edit(o) }, t('common.edit')),
        h('button', { type: 'button', class: 'btn btn-danger btn-small', dataset: { testid: 'org-delete' }, onclick: () => remove(o) }, t('common.delete')))));
  }

  function edit(o) {
    const eName = h('input', { name: 'name', type: 'text', required: true, value: o.name || '' });
    const eMails = h('input', { name: 'alertEmails', type: 'text', value: asArray(o.alertEmails).join(', ') });
    const eHook = h('input', { name: 'webhookUrl', type: 'url', value: o.webhookUrl || '' });
    const form = h('form', { class: 'form-grid' },
      field('edit-name', 'orgs.name', eName),
      field('edit-emails', 'orgs.emails', eMails, 'orgs.emailsHint'),
      field('edit-webhook', 'orgs.webhook', eHook, 'orgs.webhookHint'),
      h('div', { class: 'form-actions' },
        h('button', { type: 'submit', class: 'btn btn-primary', dataset: { testid: 'org-save' } }, t('common.save')),
        h('button', { type: 'button', class: 'btn btn-secondary', onclick: close }, t('common.cancel'))));
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      try {
        await patch(`/api/orgs/${enc(o.id)}`, body(null, eName.value, eMails.value, eHook.value));
        success(t('orgs.saved', { org: o.id }));
        close();
        render();
      } catch (e) { failure(e); }
    });
    editor.hidden = false;
    replaceChildren(editor, h('h2', { id: 'edit-heading', text: t('orgs.editTitle', { org: o.id }) }), form);
    eName.focus();
  }

  function close() {
    editor.hidden = true;
    editor.replaceChildren();
  }

  async function remove(o) {
    const ok = await confirmDialog({
      title: t('orgs.deleteTitle', { org: o.id }), body: t('orgs.deleteBody'), confirm: t('common.delete'), tone: 'danger',
    });
    if (!ok) return;
    try {
      await del(`/api/orgs/${enc(o.id)}`);
      success(t('orgs.deleted', { org: o.id }));
      render();
    } catch (e) { failure(e); }
  }

  main.replaceChildren(pageHead('orgs.title', 'orgs.intro'), list, editor, create);
  render();
  return () => { alive = false; };
}

// ---- users ----

export function mountAdminUsers(main) {
  let alive = true;
  const list = h('section', { class: 'card', 'aria-labelledby': 'users-heading' });
  const editor = h('section', { class: 'card', 'aria-labelledby': 'user-edit-heading', hidden: true, dataset: { testid: 'user-editor' } });
  const username = h('input', { name: 'username', type: 'text', required: true, autocomplete: 'off', autocapitalize: 'none', dataset: { testid: 'user-name' } });
  const password = h('input', { name: 'password', type: 'password', required: true, minlength: 8, autocomplete: 'new-password', dataset: { testid: 'user-password' } });
  const role = h('select', { name: 'role', dataset: { testid: 'user-role' } },
    h('option', { value: 'operator' }, t('role.operator')),
    h('option', { value: 'admin' }, t('role.admin')));
  const orgBoxes = h('fieldset', { class: 'checks-field', dataset: { testid: 'user-orgs' } }, h('legend', { text: t('users.orgs') }));
  const form = h('form', { class: 'card form-grid', 'aria-labelledby': 'create-user-heading', dataset: { testid: 'user-create-form' } },
    h('h2', { id: 'create-user-heading', text: t('users.create') }),
    field('user-name', 'users.username', username),
    field('user-password', 'users.password', password, 'users.passwordHint'),
    field('user-role', 'users.role', role, 'users.roleHint'),
    orgBoxes,
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'btn btn-primary', dataset: { testid: 'user-create-submit' } }, t('users.createSubmit'))));

  role.addEventListener('change', () => { orgBoxes.disabled = role.value === 'admin'; });
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const orgs = [...orgBoxes.querySelectorAll('input:checked')].map((c) => c.value);
    if (role.value === 'operator' && orgs.length === 0) {
      failure({ message: t('users.needOrg') });
      return;
    }
    try {
      await post('/api/users', { username: username.value.trim(), password: password.value, role: role.value, orgs: role.value === 'admin' ? [] : orgs });
      success(t('users.created', { user: username.value.trim() }));
      form.reset();
      orgBoxes.disabled = false;
      render();
    } catch (e) { failure(e); }
    password.value = '';
  });

  async function render() {
    let orgs = [];
    try { orgs = await loadOrgs(); } catch (e) { orgs = []; }
    if (!alive) return;
    replaceChildren(orgBoxes, h('legend', { text: t('users.orgs') }),
      orgs.length === 0 ? h('p', { class: 'muted small', text: t('orgs.none') }) : orgs.map((o) => h('label', { class: 'check-label' },
        h('input', { type: 'checkbox', name: 'orgs', value: o.id, dataset: { testid: 'user-org' } }), ` ${o.name || o.id} (${o.id})`)));
    let users = null;
    try { users = await getOptional('/api/users'); } catch (e) { users = null; }
    if (!alive) return;
    const rows = asArray(users, 'users');
    replaceChildren(list, h('h2', { id: 'users-heading', text: t('users.list') }),
      users === null ? h('p', { class: 'muted', text: t('users.listUnavailable') })
        : rows.length === 0 ? h('p', { class: 'muted', text: t('users.none') })
          : h('div', { class: 'table-wrap' }, h('table', { class: 'table' },
            h('thead', {}, h('tr', {}, ['users.username', 'users.role', 'users.orgs', 'overview.col.actions'].map((k) => h('th', { scope: 'col', text: t(k) })))),
            h('tbody', {}, rows.map((u) => userRow(u, orgs))))));
  }

  function userRow(u, orgs) {
    return h('tr', { dataset: { testid: 'user-row', user: u.username } },
      h('th', { scope: 'row', 'data-label': t('users.username'), text: u.username }),
      h('td', { 'data-label': t('users.role'), text: t(u.role === 'admin' ? 'role.admin' : 'role.operator') }),
      h('td', { 'data-label': t('users.orgs'), text: u.role === 'admin' ? t('users.allOrgs') : asArray(u.orgs).join(', ') || '—' }),
      h('td', { 'data-label': t('overview.col.actions') }, h('div', { class: 'actions' },
        h('button', { type: 'button', class: 'btn btn-secondary btn-small', dataset: { testid: 'user-edit' }, 'aria-label': `${t('common.edit')} ${u.username}`, onclick: () => edit(u, orgs) }, t('common.edit')),
        h('button', { type: 'button', class: 'btn btn-danger btn-small', dataset: { testid: 'user-delete' }, 'aria-label': `${t('common.delete')} ${u.username}`, onclick: () => remove(u) }, t('common.delete')))));
  }

  function edit(u, orgs) {
    const eRole = h('select', { name: 'role', dataset: { testid: 'user-edit-role' } },
      h('option', { value: 'operator', selected: u.role !== 'admin' }, t('role.operator')),
      h('option', { value: 'admin', selected: u.role === 'admin' }, t('role.admin')));
    const eOrgs = h('fieldset', { class: 'checks-field', disabled: u.role === 'admin' }, h('legend', { text: t('users.orgs') }),
      orgs.length === 0 ? h('p', { class: 'muted small', text: t('orgs.none') }) : orgs.map((o) => h('label', { class: 'check-label' },
        h('input', { type: 'checkbox', name: 'orgs', value: o.id, checked: asArray(u.orgs).includes(o.id), dataset: { testid: 'user-edit-org' } }), ` ${o.name || o.id} (${o.id})`)));
    const ePassword = h('input', { name: 'password', type: 'password', minlength: 8, autocomplete: 'new-password', dataset: { testid: 'user-edit-password' } });
    eRole.addEventListener('change', () => { eOrgs.disabled = eRole.value === 'admin'; });
    const editForm = h('form', { class: 'form-grid' },
      field('user-edit-role', 'users.role', eRole, 'users.roleHint'),
      eOrgs,
      field('user-edit-password', 'users.newPassword', ePassword, 'users.newPasswordHint'),
      h('div', { class: 'form-actions' },
        h('button', { type: 'submit', class: 'btn btn-primary', dataset: { testid: 'user-save' } }, t('common.save')),
        h('button', { type: 'button', class: 'btn btn-secondary', onclick: close }, t('common.cancel'))));
    editForm.addEventListener('submit', async (event) => {
      event.preventDefault();
      const chosen = [...eOrgs.querySelectorAll('input:checked')].map((c) => c.value);
      if (eRole.value === 'operator' && chosen.length === 0) {
        failure({ message: t('users.needOrg') });
        return;
      }
      const change = { role: eRole.value, orgs: eRole.value === 'admin' ? [] : chosen };
      if (ePassword.value) change.password = ePassword.value;
      try {
        await patch(`/api/users/${enc(u.username)}`, change);
        success(t('users.saved', { user: u.username }));
        close();
        render();
      } catch (e) { failure(e); }
      ePassword.value = '';
    });
    editor.hidden = false;
    replaceChildren(editor, h('h2', { id: 'user-edit-heading', text: t('users.editTitle', { user: u.username }) }), editForm);
    eRole.focus();
  }

  function close() {
    editor.hidden = true;
    editor.replaceChildren();
  }

  async function remove(u) {
    const ok = await confirmDialog({
      title: t('users.deleteTitle', { user: u.username }), body: t('users.deleteBody'), confirm: t('common.delete'), tone: 'danger',
    });
    if (!ok) return;
    try {
      await del(`/api/users/${enc(u.username)}`);
      success(t('users.deleted', { user: u.username }));
      close();
      render();
    } catch (e) { failure(e); }
  }

  main.replaceChildren(pageHead('users.title', 'users.intro'), list, editor, form);
  render();
  return () => { alive = false; };
}

// ---- API keys ----

export function mountAdminKeys(main) {
  let alive = true;
  const select = h('select', { name: 'org', required: true, dataset: { testid: 'key-org' } });
  const label = h('input', { name: 'label', type: 'text', maxlength: 200, autocomplete: 'off', dataset: { testid: 'key-label' } });
  const result = h('div', { class: 'key-result', 'aria-live': 'polite' });
  const list = h('section', { class: 'card', 'aria-labelledby': 'keys-heading', dataset: { testid: 'api-key-list' } });
  const form = h('form', { class: 'card form-grid', 'aria-labelledby': 'create-key-heading', dataset: { testid: 'key-create-form' } },
    h('h2', { id: 'create-key-heading', text: t('keys.create') }),
    field('key-org', 'keys.org', select, 'keys.orgHint'),
    field('key-label', 'keys.label', label, 'keys.labelHint'),
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'btn btn-primary', dataset: { testid: 'key-create-submit' } }, t('keys.createSubmit'))),
    result);

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!select.value) return;
    try {
      const body = label.value.trim() ? { label: label.value.trim() } : {};
      const answer = await post(`/api/orgs/${enc(select.value)}/api-keys`, body);
      show(select.value, answer || {});
      label.value = '';
      renderKeys();
    } catch (e) { failure(e); }
  });
  select.addEventListener('change', () => {
    result.replaceChildren();
    renderKeys();
  });

  async function renderKeys() {
    const org = select.value;
    const heading = h('h2', { id: 'keys-heading', text: org ? t('keys.listFor', { org }) : t('keys.list') });
    if (!org) {
      replaceChildren(list, heading, h('p', { class: 'muted', text: t('orgs.none') }));
      return;
    }
    let keys;
    try {
      keys = asArray(await get(`/api/orgs/${enc(org)}/api-keys`), 'keys');
    } catch (e) {
      if (alive && select.value === org) replaceChildren(list, heading, h('p', { class: 'muted', text: t('error.generic') }));
      return;
    }
    // the person may have picked another org meanwhile: show only the latest answer
    if (!alive || select.value !== org) return;
    replaceChildren(list, heading, keys.length === 0 ? h('p', { class: 'muted', text: t('keys.none') })
      : h('div', { class: 'table-wrap' }, h('table', { class: 'table' },
        h('thead', {}, h('tr', {}, ['keys.id', 'keys.label', 'keys.createdAt', 'overview.col.actions'].map((k) => h('th', { scope: 'col', text: t(k) })))),
        h('tbody', {}, keys.map((k) => keyRow(org, k))))));
  }

  function keyRow(org, k) {
    return h('tr', { dataset: { testid: 'api-key-row', key: k.id } },
      h('th', { scope: 'row', class: 'mono', 'data-label': t('keys.id'), text: k.id }),
      h('td', { 'data-label': t('keys.label'), text: k.label || '—' }),
      h('td', { 'data-label': t('keys.createdAt'), text: dateTime(k.createdAt) }),
      h('td', { 'data-label': t('overview.col.actions') }, h('div', { class: 'actions' },
        h('button', { type: 'button', class: 'btn btn-danger btn-small', dataset: { testid: 'api-key-revoke' }, 'aria-label': `${t('keys.revoke')} ${k.id}`, onclick: () => revoke(org, k) }, t('keys.revoke')))));
  }

  async function revoke(org, k) {
    const ok = await confirmDialog({
      title: t('keys.revokeTitle', { id: k.id }), body: t('keys.revokeBody'), confirm: t('keys.revoke'), tone: 'danger',
    });
    if (!ok) return;
    try {
      await del(`/api/orgs/${enc(org)}/api-keys/${enc(k.id)}`);
      success(t('keys.revoked', { id: k.id }));
      renderKeys();
    } catch (e) { failure(e); }
  }

  function show(org, answer) {
    // the key lives only in this box until the person leaves the page: never stored
    const value = h('input', { id: 'api-key-value', type: 'text', readonly: true, value: answer.key || '', class: 'mono', dataset: { testid: 'api-key-value' } });
    const copy = h('button', { type: 'button', class: 'btn btn-secondary', dataset: { testid: 'api-key-copy' } }, t('keys.copy'));
    copy.addEventListener('click', async () => {
      value.select();
      try {
        await navigator.clipboard.writeText(value.value);
        success(t('keys.copied'));
      } catch (e) {
        // no clipboard permission (http, old browser): the text is selected, Ctrl+C works
        success(t('keys.selected'));
      }
    });
    replaceChildren(result, h('div', { class: 'key-box', dataset: { testid: 'api-key' } },
      h('p', { class: 'warning', role: 'alert', text: t('keys.once') }),
      h('label', { for: 'api-key-value', text: t('keys.value', { org, id: answer.id || '' }) }),
      h('div', { class: 'copy-row' }, value, copy),
      h('p', { class: 'muted small', text: t('keys.usage') })));
    value.focus();
    value.select();
  }

  async function render() {
    let orgs = [];
    try { orgs = await loadOrgs(); } catch (e) { orgs = []; }
    if (!alive) return;
    replaceChildren(select, orgs.map((o) => h('option', { value: o.id }, `${o.name || o.id} (${o.id})`)));
    renderKeys();
  }

  main.replaceChildren(pageHead('keys.title', 'keys.intro'), form, list);
  render();
  return () => {
    alive = false;
    result.replaceChildren();
  };
}
