import { parseIdNumber } from '@civicgrid/core';
import { fieldError } from '../../platform/errors.js';
import type { ItemFormField } from './tables.js';

const valid: Record<ItemFormField['type'], (v: string | number, f: ItemFormField) => boolean> = {
  text: (v) => typeof v === 'string',
  address: (v) => typeof v === 'string',
  number: (v) => typeof v === 'number' || (v.trim() !== '' && Number.isFinite(Number(v))),
  date: (v) => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(v)),
  choice: (v, f) => typeof v === 'string' && (f.options ?? []).includes(v),
  idNumber: (v) => typeof v === 'string' && parseIdNumber(v).ok,
  phone: (v) => typeof v === 'string' && /^1\d{10}$/.test(v),
};

/** The form's answers against the item version's schema: required ones there, each of its type. */
export function checkForm(
  form: Record<string, string | number> | undefined,
  fields: ItemFormField[],
): Record<string, string | number> {
  const answers = form ?? {};
  for (const key of Object.keys(answers)) {
    if (!fields.some((f) => f.key === key))
      throw fieldError(`form.${key}`, 'known', 'APPLICATION_FORM_INVALID', { label: key });
  }
  const out: Record<string, string | number> = {};
  for (const f of fields) {
    const v = answers[f.key];
    if (v === undefined || v === '') {
      if (f.required)
        throw fieldError(`form.${f.key}`, 'required', 'APPLICATION_FORM_REQUIRED', { label: f.label });
      continue;
    }
    if (!valid[f.type](v, f))
      throw fieldError(`form.${f.key}`, f.type, 'APPLICATION_FORM_INVALID', { label: f.label });
    out[f.key] = typeof v === 'string' ? v.trim() : v;
  }
  return out;
}
