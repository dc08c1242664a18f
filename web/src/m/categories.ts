import { type Reply, request } from './api.js';
import { keptList } from './kept.js';

export type Category = Pick<
  Reply<'GET /api/case-categories'>['items'][number],
  'code' | 'name' | 'parentCode' | 'selfResolvable'
>;

const categories = keptList<Category>('categories', () =>
  request('GET /api/case-categories').then((r) => r.items),
);

/**
 * The case categories, fresh when there is a network, else as last kept on the phone. The app
 * loads them as it opens (App.tsx), not only when 上报 is opened: a worker who goes offline
 * before ever opening it can still pick a category.
 */
export async function loadCategories(): Promise<Category[]> {
  try {
    return await categories.refresh();
  } catch {
    return (await categories.kept()) ?? [];
  }
}
