/**
 * Strings of the console's care pages, under the `care` key: zh-CN (the default, terms
 * after shared/GLOSSARY.md) and en-US with the same shape.
 */
export const careZh = {};

export const careEn: typeof careZh = {};
