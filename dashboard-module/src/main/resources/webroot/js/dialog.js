// One accessible confirmation dialog (<dialog> with showModal: focus is trapped, Escape cancels).
import { t } from '../i18n.js';

/** Resolves true when the person confirms. {title, body, confirm, tone: 'warn'|'danger'|'primary'} */
export function confirmDialog({ title, body, confirm, tone = 'primary' }) {
  const dialog = document.getElementById('confirm');
  const ok = document.getElementById('confirm-ok');
  const cancel = document.getElementById('confirm-cancel');
  document.getElementById('confirm-title').textContent = title;
  document.getElementById('confirm-body').textContent = body;
  ok.textContent = confirm;
  ok.className = `btn btn-${tone}`;
  cancel.textContent = t('common.cancel');
  const opener = document.activeElement;
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => {
      const confirmed = dialog.returnValue === 'ok';
      dialog.returnValue = '';
      if (opener && document.contains(opener)) opener.focus();
      resolve(confirmed);
    }, { once: true });
    dialog.returnValue = '';
    dialog.showModal();
    // the safe choice has the focus first: Enter does not clear a session by accident
    cancel.focus();
  });
}
