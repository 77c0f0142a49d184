// What a whole phone or ID number looks like in text, shared by the server's log redaction
// (redact.ts) and the test runner's log check (scripts/test.mjs), which is plain Node.
/** 居民身份证号: 17 digits and a digit or X, not inside a longer code. Groups: first 4, last 4. */
export const ID_NUMBER = /(?<![0-9A-Za-z])(\d{4})\d{10}(\d{3}[\dXx])(?![0-9A-Za-z])/g;
/** Mainland mobile: 11 digits from 13–19, not inside a longer number. Groups: first 3, last 4. */
export const MOBILE = /(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)/g;
