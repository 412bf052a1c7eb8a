// The login form: username and password to POST /auth/login; the server sets the cookies.
import { h } from '../dom.js';
import { t } from '../../i18n.js';
import { post } from '../api.js';

export function mountLogin(main, { onLoggedIn }) {
  const error = h('p', { class: 'form-error', id: 'login-error', role: 'alert', dataset: { testid: 'login-error' } });
  const username = h('input', {
    id: 'login-username', name: 'username', type: 'text', autocomplete: 'username', required: true,
    autocapitalize: 'none', spellcheck: 'false', dataset: { testid: 'login-username' },
  });
  const password = h('input', {
    id: 'login-password', name: 'password', type: 'password', autocomplete: 'current-password', required: true,
    dataset: { testid: 'login-password' },
  });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary btn-block', dataset: { testid: 'login-submit' } }, t('login.submit'));
  const form = h('form', { class: 'card login-card', 'aria-describedby': 'login-error', dataset: { testid: 'login-form' } },
    h('h1', { text: t('login.title') }),
    h('p', { class: 'muted', text: t('login.intro') }),
    h('div', { class: 'field' }, h('label', { for: 'login-username', text: t('login.username') }), username),
    h('div', { class: 'field' }, h('label', { for: 'login-password', text: t('login.password') }), password),
    error,
    submit);

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.textContent = '';
    submit.disabled = true;
    submit.textContent = t('login.submitting');
    try {
      await post('/auth/login', { username: username.value.trim(), password: password.value }, { quiet401: true });
      password.value = '';
      await onLoggedIn();
    } catch (e) {
      password.value = '';
      if (e.status === 401 || e.status === 400) error.textContent = t('login.bad');
      else if (e.status === 429) error.textContent = t('login.throttled');
      else if (e.status === 0) error.textContent = t('error.network');
      else error.textContent = e.message && !/^\d+$/.test(e.message) ? e.message : t('error.generic');
      submit.disabled = false;
      submit.textContent = t('login.submit');
      password.focus();
    }
  });

  main.replaceChildren(h('div', { class: 'login-wrap' }, form));
  username.focus();
  return () => {};
}
