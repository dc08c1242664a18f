import { type Reply, request } from './api.js';
import { cache, cached } from './store.js';

export type Category = Pick<
  Reply<'GET /api/case-categories'>['items'][number],
  'code' | 'name' | 'parentCode' | 'selfResolvable'
>;

/**
 * The case categories, fresh when there is a network, else as last kept on the phone. The app
 * loads them as it opens (App.tsx), not only when 上报 is opened: a worker who goes offline
 * before ever opening it can still pick a category.
 */
export async function loadCategories(): Promise<Category[]> {
  try {
    const r = await request('GET /api/case-categories');
    await cache('categories', r.items);
    return r.items;
  } catch {
    return (await cached<Category[]>('categories')) ?? [];
  }
}
