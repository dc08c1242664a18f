import { App, type FormInstance } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { applyFieldErrors, errorMessage } from '../../common/api.js';

/** What a form does once its request has succeeded. */
export interface FormSubmitOptions<V, R> {
  /** The toast, as text or made from the reply and the values; none when left out. */
  success?: string | ((result: R, values: V) => string);
  /**
   * After the toast, still busy: reset, invalidate, close. Awaited, so a dialog that waits for
   * its lists to refresh stays loading meanwhile; a failure here is shown like the request's.
   */
  onDone?: (result: R, values: V) => unknown;
}

/**
 * Submits a form: runs the request while `busy`, shows the success toast and calls `onDone`;
 * on failure a 400's field errors go on their fields, anything else becomes an error toast.
 * `submit()` validates the form first (for a Modal's onOk, a button, a Popconfirm); a
 * validation failure just returns, antd shows it on the fields. `send(values)` is for the
 * Form's onFinish, which has validated already, and for a caller that checks something of its
 * own first (a point picked on the map, a form left unchanged). A second submit while one
 * runs is ignored, so a double click sends once.
 */
export function useFormSubmit<V, R>(
  form: FormInstance,
  run: (values: V) => Promise<R>,
  options: FormSubmitOptions<V, R> = {},
): { submit: () => Promise<void>; send: (values: V) => Promise<void>; busy: boolean } {
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  // A ref, not the state: two clicks in one tick both see the state still false.
  const running = useRef(false);
  // Dialogs close in onDone; their busy flag is not cleared after they are gone.
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);
  const { success, onDone } = options;
  const go = async (validate: boolean, given?: V) => {
    if (running.current) return;
    running.current = true;
    try {
      let values = given as V;
      if (validate) {
        try {
          values = (await form.validateFields()) as V;
        } catch {
          return;
        }
      }
      setBusy(true);
      try {
        const result = await run(values);
        if (success !== undefined)
          message.success(typeof success === 'function' ? success(result, values) : success);
        await onDone?.(result, values);
      } catch (e) {
        if (!applyFieldErrors(form, e)) message.error(errorMessage(e));
      }
    } finally {
      running.current = false;
      if (mounted.current) setBusy(false);
    }
  };
  return { submit: () => go(true), send: (values) => go(false, values), busy };
}
