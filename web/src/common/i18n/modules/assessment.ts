/**
 * Strings of the console's assessment pages, under the `assessment` key: zh-CN (the default, terms
 * after shared/GLOSSARY.md) and en-US with the same shape.
 */
export const assessmentZh = {};

export const assessmentEn: typeof assessmentZh = {};
