import type { ErrorEntry } from './entry.js';

/** Refusals of 红管家: property companies, their estates and dispatches to them. */
export const propertyErrors = {
  PROPERTY_COMMUNITY: {
    status: 400,
    zh: '物业企业须属于本辖区内的社区',
    en: 'The company must serve a community of your jurisdiction',
  },
  PROPERTY_DUPLICATE: {
    status: 409,
    zh: '该统一社会信用代码或企业名称已登记',
    en: 'A company with this credit code or name is already registered',
  },
  PROPERTY_ESTATE_OUTLINE: {
    status: 400,
    zh: '小区范围须是不自相交、面积不为零的多边形',
    en: 'The estate outline must be a simple polygon with an area',
  },
  PROPERTY_ESTATE_DUPLICATE: {
    status: 409,
    zh: '该企业已登记同名小区',
    en: 'This company already serves an estate of that name',
  },
  PROPERTY_CASE_OUTSIDE_ESTATES: {
    status: 400,
    zh: '事件不在该物业企业服务的小区内，不能派给它',
    en: 'The case does not lie in an estate of this company; it cannot be dispatched to it',
  },
} satisfies Record<string, ErrorEntry>;
