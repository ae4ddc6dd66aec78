/** The node test harness: run our node classes through n8n-core's real WorkflowExecute. */
export { runNode } from './runNode';
export type { RunNodeOptions, RunNodeResult } from './runNode';
export { makeBinaryInputItem, readBinary, binaryFilePath } from './binary';
export type { BinaryInput } from './binary';
export { ensureN8nRuntime } from './runtime';
export { useQuickRetries } from './quickRetries';
export { vendorContext } from './vendorContext';
export type { VendorContextOptions } from './vendorContext';
export { closedLoopbackUrl } from './closedLoopbackUrl';
export { startSignedBinaryServer } from './signedBinaryServer';
export type { SignedBinaryServer } from './signedBinaryServer';
