/**
 * Strings of the console's places pages, under the `places` key: zh-CN (the default, terms
 * after shared/GLOSSARY.md) and en-US with the same shape.
 */
export const placesZh = {};

export const placesEn: typeof placesZh = {};
