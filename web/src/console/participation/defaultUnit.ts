import type { FormInstance } from 'antd';
import { useEffect } from 'react';
import { useTrees } from '../cases/shared.js';

/**
 * The org trees, and the form's `orgUnitId` set to the user's own unit once the tree is in (a
 * dialog may open before it has loaded, when `initialValue` would come too early).
 */
export function useDefaultUnit(form: FormInstance) {
  const trees = useTrees();
  useEffect(() => {
    if (trees.root !== undefined && form.getFieldValue('orgUnitId') === undefined)
      form.setFieldValue('orgUnitId', trees.root);
  }, [trees.root, form]);
  return trees;
}
