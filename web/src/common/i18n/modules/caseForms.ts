/**
 * Strings of the console's caseForms pages, under the `caseForms` key: zh-CN (the default, terms
 * after shared/GLOSSARY.md) and en-US with the same shape.
 */
export const caseFormsZh = {};

export const caseFormsEn: typeof caseFormsZh = {};
