/**
 * Strings of the big screen (/screen), under the `screen` key: zh-CN (the default, terms
 * after shared/GLOSSARY.md) and en-US with the same shape.
 */
export const screenZh = {};

export const screenEn: typeof screenZh = {};
