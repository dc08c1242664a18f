/**
 * A mainland mobile number as it would leak into a reply, an export or a page: eleven digits
 * starting 13–19, not inside a longer run of letters and digits. Without the bounds a UUID's
 * last group (twelve hex digits, now and then all of them digits) matched about once in ten
 * replies holding a dozen ids, and a test that checked for a leak failed on a row id.
 */
export const mobileNumber = /(?<![0-9A-Za-z])1[3-9]\d{9}(?![0-9A-Za-z])/;
