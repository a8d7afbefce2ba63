import { App, type FormInstance } from 'antd';
import { useCallback } from 'react';
import { toApiError } from './client';

/**
 * Shows the server's per-field messages on the form's matching fields (the server is the authority on
 * validation) and scrolls to the first. Returns the message still to show elsewhere, or null when every
 * field message found its field.
 */
export function applyApiError(err: unknown, form?: FormInstance | null): string | null {
  const e = toApiError(err);
  if (!form || !e.fields) return e.message;
  const registered = new Set(form.getFieldsError().map((f) => f.name.join('.')));
  const entries = Object.entries(e.fields);
  const shown = entries.filter(([name]) => registered.has(name));
  if (shown.length === 0) return e.message;
  form.setFields(shown.map(([name, msg]) => ({ name: fieldPath(name), errors: [msg] })));
  const first = shown[0];
  if (first) form.scrollToField(fieldPath(first[0]), { block: 'center', behavior: 'smooth' });
  return shown.length === entries.length ? null : e.message;
}

/** Field messages onto the form, anything else as a toast. */
export function useShowApiError() {
  const { message } = App.useApp();
  return useCallback(
    (err: unknown, form?: FormInstance | null) => {
      const rest = applyApiError(err, form);
      if (rest) message.error(rest);
    },
    [message],
  );
}

/** `courses.0.title` → ['courses', 0, 'title']: antd numbers list rows, and matches names exactly. */
function fieldPath(name: string): Array<string | number> {
  return name.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}
