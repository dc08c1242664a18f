/**
 * Strings of the console's residents pages, under the `residents` key: zh-CN (the default, terms
 * after shared/GLOSSARY.md) and en-US with the same shape.
 */
export const residentsZh = {};

export const residentsEn: typeof residentsZh = {};
