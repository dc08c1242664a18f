/**
 * Strings of the console's fieldwork pages, under the `fieldwork` key: zh-CN (the default, terms
 * after shared/GLOSSARY.md) and en-US with the same shape.
 */
export const fieldworkZh = {};

export const fieldworkEn: typeof fieldworkZh = {};
