/**
 * Strings of the console's cases pages, under the `cases` key: zh-CN (the default, terms
 * after shared/GLOSSARY.md) and en-US with the same shape.
 */
export const casesZh = {};

export const casesEn: typeof casesZh = {};
