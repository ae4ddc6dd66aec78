/**
 * What the vendor adapters share, so each adapter holds only what is specific to its vendor:
 * tolerant readers for loosely typed bodies, HTTP-level error rules (429 → rateLimit with
 * Retry-After, 5xx → server), one error classifier driven by a vendor's code table, and the
 * readers of job records, created jobs and job failures. No vendor names in here.
 */
export * from './adapterKit/values';
export * from './adapterKit/httpHeaders';
export * from './adapterKit/errorText';
export * from './adapterKit/vendorErrors';
export * from './adapterKit/jobRecords';
export * from './adapterKit/coreFields';
